package dev.codemode.runtime;

/** One egress decision of a run: the request and what became of it ({@code allowed}, {@code denied}, {@code error}). */
public record EgressRecord(String method, String url, String outcome) {}
