package dev.intact.core.archive;

/** A regular file inside a tar archive (an OVA): where its bytes start, and how many. */
public record TarMember(String name, long offset, long size) {}
