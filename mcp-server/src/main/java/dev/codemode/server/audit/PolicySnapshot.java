package dev.codemode.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.policies.Profile;
import java.nio.charset.StandardCharsets;

/**
 * The effective profile as canonical JSON (keys sorted, no whitespace) and its sha256. Credential values
 * are replaced by their {@code ${env:…}} reference or {@code <redacted>}, so a snapshot is safe to store.
 */
public record PolicySnapshot(String profile, String json, String sha256) {
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  /** The snapshot of {@code profile}. */
  public static PolicySnapshot of(Profile profile) {
    JsonNode tree = CANONICAL.valueToTree(profile);
    for (String list : new String[] {"allow", "deny"}) {
      for (JsonNode rule : tree.path("net").path(list)) {
        JsonNode cred = rule.path("credential");
        if (cred.isObject()) {
          String value = cred.path("value").asText("");
          ((ObjectNode) cred).put("value", value.matches("\\$\\{env:[A-Za-z_][A-Za-z0-9_]*}") ? value : "<redacted>");
        }
      }
    }
    try {
      // Re-read and write through the canonical mapper so object keys of the tree are sorted too.
      String json = CANONICAL.writeValueAsString(CANONICAL.treeToValue(tree, Object.class));
      return new PolicySnapshot(profile.name(), json, CodeFingerprint.sha256(json.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException("the policy could not be written as JSON", e);
    }
  }
}
