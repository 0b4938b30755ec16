package dev.codemode.runtime.vfs;

/** One name in a directory listing; the kind is that of the entry itself (a symlink is OTHER). */
public record DirEntry(String name, NodeKind kind) {}
