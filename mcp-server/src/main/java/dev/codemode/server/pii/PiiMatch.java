package dev.codemode.server.pii;

/** One piece of PII found in a text: its label ({@code EMAIL}, {@code CARD}, …) and where it is. */
public record PiiMatch(String label, int start, int end, String value) {}
