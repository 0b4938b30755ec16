package dev.codemode.policies.ops;

/**
 * The loopback admin endpoint (list and cancel runs, killswitch).
 *
 * @param enabled whether {@code serve} starts it
 * @param host a loopback address
 * @param port its port
 * @param token the bearer token, usually {@code ${env:NAME}}; resolved on the host only
 */
public record AdminSettings(boolean enabled, String host, int port, String token) {
  @Override
  public String toString() {
    return "AdminSettings[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token=<redacted>]";
  }
}
