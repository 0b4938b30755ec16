package dev.codemode.runtime;

/** A file a run left under {@code /workspace/out/}, copied out of the sandbox after the run. */
public record KeptFile(String path, byte[] content) {}
