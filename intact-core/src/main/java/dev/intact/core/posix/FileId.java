package dev.intact.core.posix;

/**
 * Which file an inode is: its file system's device number and its inode number. Two descriptors,
 * names or links lead to one file exactly when their ids are equal, whatever path each was opened
 * by (a symbolic link, a hard link, {@code /proc/self/fd/N}).
 */
public record FileId(long dev, long ino) {}
