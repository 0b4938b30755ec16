package dev.codemode.server.auth;

import dev.codemode.policies.AuthSettings.TokenGrant;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Static bearer tokens, held only as SHA-256 hashes. A presented token is hashed and compared with every
 * configured hash in constant time ({@link MessageDigest#isEqual}); the loop never stops early.
 */
public final class StaticTokens {
  private final List<TokenGrant> grants;

  public StaticTokens(List<TokenGrant> grants) {
    this.grants = List.copyOf(grants);
  }

  /** Whether any token is configured. */
  public boolean isEmpty() {
    return grants.isEmpty();
  }

  /** The principal whose token this is, if any. */
  public Optional<Principal> authenticate(String token) {
    byte[] presented = TokenHash.sha256(token);
    TokenGrant match = null;
    for (TokenGrant g : grants) {
      boolean equal = MessageDigest.isEqual(presented, g.sha256());
      if (equal && match == null) {
        match = g;
      }
    }
    return match == null ? Optional.empty()
        : Optional.of(new Principal(match.principal(), Set.copyOf(match.profiles()), "token"));
  }
}
