package dev.codemode.runtime;

/**
 * An error raised by agent code, as data.
 *
 * @param type the JS error name (e.g. {@code TypeError})
 * @param stack only the agent's own frames, with its own line numbers; null when there are none
 */
public record GuestError(String type, String message, String stack) {}
