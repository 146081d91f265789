package dev.intact.core.nbd.wire;

import java.util.List;

/** Payload of NBD_OPT_GO and NBD_OPT_INFO: an export name and the NBD_INFO items asked for. */
public record ExportRequest(String exportName, List<Integer> infoRequests) {
  public ExportRequest {
    infoRequests = List.copyOf(infoRequests);
  }
}
