package dev.codemode.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 of bearer tokens, in the {@code sha256:<hex>} form the configuration stores. */
public final class TokenHash {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenHash() {}

  /** The SHA-256 of the token's UTF-8 bytes. */
  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The configuration form: {@code sha256:} and 64 lower-case hex digits. */
  public static String configForm(String token) {
    return "sha256:" + HexFormat.of().formatHex(sha256(token));
  }

  /** A new random token: 32 bytes from a {@link SecureRandom}, base64url without padding (43 characters). */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
