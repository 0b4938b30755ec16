package dev.codemode.server.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Predicate;

/**
 * One attack: a JS payload, the profile it runs under, and the safe outcomes it may have.
 *
 * @param setup code run first in a separate run (state-leak cases), or null
 * @param statuses the acceptable statuses ({@code ok}, {@code error}, {@code limit}, …)
 * @param check a predicate on the structured answer that must hold, with its description
 */
record EscapeCase(String family, String id, String profile, String setup, String code, long timeoutMs,
    List<String> statuses, String checkDescription, Predicate<JsonNode> check) {}
