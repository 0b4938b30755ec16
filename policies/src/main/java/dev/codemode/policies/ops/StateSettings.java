package dev.codemode.policies.ops;

import java.time.Duration;

/** Where the state replicas share lives: in this JVM (one replica) or in Redis (several). */
public sealed interface StateSettings {
  /** Today's behaviour: killswitch, runs, rate limits and PII tokens live in this process only. */
  record Memory() implements StateSettings {}

  /**
   * A Redis server every replica reaches.
   *
   * @param url {@code redis://[user:password@]host[:port][/db]} or {@code rediss://…} for TLS, or a
   *     {@code ${env:NAME}} / {@code ${file:/path}} reference resolved at start (keeps a password out of the file)
   * @param poll how often the killswitch is re-read besides its pub/sub channel (the fallback when a message is missed)
   * @param timeout how long one Redis command may take before the replica treats the backend as down
   * @param keyPrefix the prefix of every key and channel, so several deployments can share one server
   */
  record Redis(String url, Duration poll, Duration timeout, String keyPrefix) implements StateSettings {
    @Override
    public String toString() {
      return "Redis[url=" + (url.startsWith("${") ? url : url.replaceAll("//[^@/]*@", "//<redacted>@")) + ", poll=" + poll
          + ", timeout=" + timeout + ", keyPrefix=" + keyPrefix + "]";
    }
  }
}
