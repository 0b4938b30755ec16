package dev.codemode.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The agent code as the audit log shows it: its sha256 and its first lines, clipped. */
public record CodeFingerprint(String sha256, String head) {
  private static final int HEAD_LINES = 5;
  private static final int LINE_CHARS = 160;

  /** The fingerprint of {@code code}. */
  public static CodeFingerprint of(String code) {
    String[] lines = code.stripTrailing().split("\n", HEAD_LINES + 1);
    StringBuilder head = new StringBuilder();
    for (int i = 0; i < Math.min(lines.length, HEAD_LINES); i++) {
      String line = lines[i].stripTrailing();
      head.append(i == 0 ? "" : "\n").append(line.length() > LINE_CHARS ? line.substring(0, LINE_CHARS) + "…" : line);
    }
    if (lines.length > HEAD_LINES) {
      head.append("\n…");
    }
    return new CodeFingerprint(sha256(code.getBytes(StandardCharsets.UTF_8)), head.toString());
  }

  /** Lower-case hex sha256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
