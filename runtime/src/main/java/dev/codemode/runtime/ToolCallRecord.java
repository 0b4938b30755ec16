package dev.codemode.runtime;

/** One downstream tool call made by a run. */
public record ToolCallRecord(String tool, boolean ok, long ms) {}
