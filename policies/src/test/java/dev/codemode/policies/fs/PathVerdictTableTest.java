package dev.codemode.policies.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Adversarial guest paths against the example deny globs: parse, normalize, then deny or pass. */
class PathVerdictTableTest {
  private static final DenyGlobs GLOBS =
      DenyGlobs.compile(List.of("**/.env", "**/.ssh/**", "**/id_*", "/home/**"));

  static Stream<Arguments> table() {
    return Stream.of(
        arguments("/workspace/../../etc/passwd", "/etc/passwd"),
        arguments("../../etc/passwd", "/etc/passwd"),
        arguments("..", "/"),
        arguments("/..", "/"),
        arguments("/../../..", "/"),
        arguments("a/b.txt", "/workspace/a/b.txt"),
        arguments("./a", "/workspace/a"),
        arguments("//workspace//a", "/workspace/a"),
        arguments("/workspace/./a/./b", "/workspace/a/b"),
        arguments("/workspace/a/", "/workspace/a"),
        arguments("/deps/.env/../config.json", "/deps/config.json"),
        arguments("/deps/config.json/..", "/deps"),
        arguments(" /workspace", "/workspace/ /workspace"),
        arguments("/workspace/.env", "DENY **/.env"),
        arguments(".env", "DENY **/.env"),
        arguments("/deps/sub/deeper/.env", "DENY **/.env"),
        arguments("/deps/./x/../.env", "DENY **/.env"),
        arguments("/deps/.env.example", "/deps/.env.example"),
        arguments("/deps/.ENV", "DENY **/.env"),
        arguments("/deps/ID_RSA", "DENY **/id_*"),
        arguments("/deps/A/.SSH/config", "DENY **/.ssh/**"),
        arguments("/deps/id_rsa.pub", "DENY **/id_*"),
        arguments("/workspace/id_ed25519", "DENY **/id_*"),
        arguments("/deps/xid_rsa", "/deps/xid_rsa"),
        arguments("/deps/a/b/.ssh/config", "DENY **/.ssh/**"),
        arguments("/deps/.ssh", "DENY **/.ssh/**"),
        arguments("/deps/.ssh/", "DENY **/.ssh/**"),
        arguments("/deps/x.ssh/config", "/deps/x.ssh/config"),
        arguments("/deps/.ssh_backup/key", "/deps/.ssh_backup/key"),
        arguments("/home/user/notes", "DENY /home/**"),
        arguments("/home", "DENY /home/**"),
        arguments("/workspace/../home/u", "DENY /home/**"),
        arguments("/deps/home/user", "/deps/home/user"),
        // Look-alikes are ordinary characters: never a separator, never a dot-dot.
        arguments("/workspace/\uFF0E\uFF0E/etc", "/workspace/\uFF0E\uFF0E/etc"),
        arguments("/workspace/\u2025/etc", "/workspace/\u2025/etc"),
        arguments("/workspace/a\u2215..\u2215etc", "/workspace/a\u2215..\u2215etc"),
        arguments("/deps/.env\u200B", "/deps/.env\u200B"),
        arguments("/deps/\u0435nv", "/deps/\u0435nv"),
        arguments("/workspace/a\u0000b", "EINVAL"),
        arguments("/workspace/.env\u0000.txt", "EINVAL"),
        arguments("\\etc\\passwd", "EINVAL"),
        arguments("..\\..\\etc", "EINVAL"),
        arguments("/workspace/a\nb", "EINVAL"),
        arguments("", "EINVAL"),
        arguments("/workspace/" + "a".repeat(256), "EINVAL"),
        arguments("/workspace/" + "a".repeat(255), "/workspace/" + "a".repeat(255)),
        arguments("/workspace/" + "\u00e9".repeat(128), "EINVAL"),
        arguments("/workspace/" + "a/".repeat(2100), "EINVAL"),
        arguments("/workspace/" + "./".repeat(2100), "EINVAL"));
  }

  @ParameterizedTest
  @MethodSource("table")
  void verdict(String raw, String expected) {
    assertEquals(expected, verdictOf(raw));
  }

  private static String verdictOf(String raw) {
    VirtualPath path;
    try {
      path = VirtualPath.parse(raw);
    } catch (IllegalArgumentException e) {
      return "EINVAL";
    }
    return GLOBS.firstMatch(path).map(g -> "DENY " + g.text()).orElse(path.toString());
  }
}
