package dev.codemode.server.state;

import java.util.Optional;

/**
 * One client session's PII tokens as the replicas share them: token to value and value to token. The first
 * replica to give a value a token wins; the others adopt it. Every call may throw {@link StateUnavailableException}.
 */
public interface SharedPii {
  /** The value behind {@code token}, if any replica issued it in this session. */
  Optional<String> value(String token);

  /** The token of {@code key} ({@code label NUL value}), if any replica issued one in this session. */
  Optional<String> token(String key);

  /** Records {@code token} for {@code key}/{@code value} unless {@code key} already has one; answers the token in force. */
  String issue(String token, String key, String value);

  /** Drops every token of this session, on every replica (the session ended). */
  void forget();
}
