package dev.codemode.policies;

/** One named, effective (already merged over {@code default}) sandbox policy. */
public record Profile(
    String name, FsPolicy fs, NetPolicy net, ProcLimits proc, ToolPolicy tools, LoggingPolicy logging) {}
