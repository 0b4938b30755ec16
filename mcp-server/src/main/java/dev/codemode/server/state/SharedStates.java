package dev.codemode.server.state;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.ops.StateSettings;
import dev.codemode.policies.secrets.SecretTemplate;
import dev.codemode.server.Secrets;

/** Opens the state backend the configuration names, once, at start. */
public final class SharedStates {
  private SharedStates() {}

  /** Memory, or a connected Redis (its URL resolved from a reference when it is one); fails when Redis is unreachable. */
  public static SharedState open(CodemodeConfig config, Secrets secrets) {
    if (config.ops().state() instanceof StateSettings.Redis r) {
      return new RedisState(r, secrets.resolve(SecretTemplate.parse(r.url(), config.credentials())));
    }
    return new MemoryState();
  }
}
