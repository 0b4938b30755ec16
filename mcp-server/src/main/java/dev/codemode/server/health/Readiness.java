package dev.codemode.server.health;

import dev.codemode.runtime.Walls;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether this replica should get new calls: ready when its runner has warm capacity and it is not
 * draining. The killswitch is shown but does not make a replica unready: while it is on, every replica
 * refuses runs with a message that names it, which a client sees only if the Service still routes to one.
 * {@code walls} is empty while a server just started is still finding them (its pool is not warm then either).
 */
public record Readiness(boolean poolWarm, boolean draining, boolean killswitchOn, Optional<Walls> walls) {

  public boolean ready() {
    return poolWarm && !draining;
  }

  /** The {@code /readyz} body: these fields and nothing else (it is served without auth). */
  public Map<String, Object> body() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ready", ready());
    m.put("pool_warm", poolWarm);
    m.put("draining", draining);
    m.put("killswitch", killswitchOn ? "on" : "off");
    m.put("isolation", walls.map(Walls::isolation).orElse("pending"));
    m.put("jail", walls.map(Walls::jailName).orElse("pending"));
    return m;
  }
}
