package dev.codemode.runtime.vfs;

/** The attributes the guest may see of a path. */
public record FileStat(NodeKind kind, long size, long mtimeMs) {}
