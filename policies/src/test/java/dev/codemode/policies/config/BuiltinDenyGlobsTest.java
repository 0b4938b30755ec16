package dev.codemode.policies.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.CodemodeConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A profile's deny_globs add to the built-in protections; dropping one is explicit and by name. */
class BuiltinDenyGlobsTest {
  private static List<String> globs(String yaml, String profile) {
    CodemodeConfig c = ConfigLoader.parse(yaml, "t.yaml", Path.of("/tmp"));
    return c.profile(profile).orElseThrow().fs().denyGlobs();
  }

  @Test
  void ownGlobsExtendTheBuiltInOnes() {
    List<String> g = globs("profiles:\n  default:\n    fs:\n      deny_globs: ['**/secrets/**']\n", "default");
    assertTrue(g.containsAll(List.of("**/.env", "/home/**", "/root/**", "**/.git-credentials", "**/secrets/**")), g.toString());
    List<String> child = globs("profiles:\n  other:\n    fs:\n      deny_globs: ['**/*.pem']\n", "other");
    assertTrue(child.containsAll(List.of("**/.npmrc", "**/*.pem")), child.toString());
  }

  @Test
  void droppingABuiltInGlobIsExplicit() {
    List<String> g = globs("profiles:\n  default:\n    fs:\n      drop_builtin_deny_globs: ['/home/**']\n", "default");
    assertFalse(g.contains("/home/**"), g.toString());
    assertTrue(g.contains("**/.env"), g.toString());
    ConfigException e = assertThrows(ConfigException.class, () -> globs(
        "profiles:\n  default:\n    fs:\n      drop_builtin_deny_globs: ['**/nothing']\n", "default"));
    assertTrue(e.getMessage().contains("drop_builtin_deny_globs[0]") && e.getMessage().contains("built-in:"), e.getMessage());
  }
}
