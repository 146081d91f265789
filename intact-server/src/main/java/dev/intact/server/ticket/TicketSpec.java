package dev.intact.server.ticket;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.intact.server.http.HttpError;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code PUT /tickets/{id}}, as ovirt-imageio's engine sends it. Unknown fields are
 * ignored, as imageio does, so engine-side extensions do not break.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TicketSpec(
    @JsonProperty("uuid") String uuid,
    @JsonProperty("url") String url,
    @JsonProperty("size") Long size,
    @JsonProperty("ops") List<String> ops,
    @JsonProperty("timeout") Long timeout,
    @JsonProperty("inactivity_timeout") Long inactivityTimeout,
    @JsonProperty("sparse") Boolean sparse,
    @JsonProperty("transfer_id") String transferId,
    @JsonProperty("filename") String filename,
    @JsonProperty("storage") String storage) {

  private static final Set<String> OPS = Set.of("read", "write");

  /** {@code "storage": "volume"}: the file is an Intact integrity volume, stored through it. */
  public static final String VOLUME = "volume";

  /**
   * {@code "storage": "raw"}: the file's bytes are the image, whatever they hold. A ticket that
   * names no storage is raw too, except on a file that is an Intact volume: that is refused, so an
   * upload cannot overwrite a volume's superblock and tags by an omission.
   */
  public static final String RAW = "raw";

  static final long DEFAULT_TIMEOUT = 300;
  static final long DEFAULT_INACTIVITY_TIMEOUT = 60;

  /**
   * Checks the fields a ticket cannot work without.
   *
   * @throws HttpError 400 naming the first field that is missing or wrong
   */
  public void validate(String id) {
    if (uuid == null) {
      throw HttpError.badRequest("ticket field 'uuid' is required");
    }
    if (!uuid.equals(id)) {
      throw HttpError.badRequest("ticket field 'uuid' does not match the id in the URL");
    }
    if (url == null || url.isBlank()) {
      throw HttpError.badRequest("ticket field 'url' is required");
    }
    if (size == null) {
      throw HttpError.badRequest("ticket field 'size' is required");
    }
    if (size < 0) {
      throw HttpError.badRequest("ticket field 'size' is negative: " + size);
    }
    if (ops == null || ops.isEmpty()) {
      throw HttpError.badRequest(
          "ticket field 'ops' is required: [\"read\"] or [\"read\",\"write\"]");
    }
    for (String op : ops) {
      if (op == null || !OPS.contains(op)) { // Set.of(...).contains(null) throws: a 500
        throw HttpError.badRequest("ticket op '" + op + "' is not one of read, write");
      }
    }
    if (storage != null && !storage.equals(RAW) && !storage.equals(VOLUME)) {
      throw HttpError.badRequest(
          "ticket field 'storage' is '" + storage + "', not one of " + RAW + ", " + VOLUME);
    }
    if (timeout != null && timeout <= 0) {
      throw HttpError.badRequest("ticket field 'timeout' must be positive: " + timeout);
    }
    if (inactivityTimeout != null && inactivityTimeout <= 0) {
      throw HttpError.badRequest(
          "ticket field 'inactivity_timeout' must be positive: " + inactivityTimeout);
    }
  }

  /**
   * Whether the ticket's file is an integrity volume. Only the ticket says so, never the file's
   * first bytes: a raw image that happens to start with the volume magic stays raw.
   */
  public boolean volume() {
    return VOLUME.equals(storage);
  }

  /** Whether the ticket names its storage at all (raw or volume). */
  public boolean storageNamed() {
    return storage != null;
  }

  public boolean canWrite() {
    return ops.contains("write");
  }

  long timeoutSeconds() {
    return timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  long inactivityTimeoutSeconds() {
    return inactivityTimeout == null ? DEFAULT_INACTIVITY_TIMEOUT : inactivityTimeout;
  }
}
