package dev.codemode.server.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.policies.HttpSettings.RateLimit;
import dev.codemode.policies.ops.StateSettings;
import dev.codemode.server.admin.ActiveRun;
import dev.codemode.server.admin.Killswitch;
import dev.codemode.server.audit.RunIdentity;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state replicas share in one Redis server, through Lettuce: the killswitch is a key plus a pub/sub
 * channel, each run in flight a key with a time to live, a cancel request a message on a channel, and each
 * principal's token bucket a hash changed by one Lua script (atomic across replicas, timed by the server's clock).
 * Commands fail fast while the connection is down (Lettuce reconnects and re-subscribes on its own).
 */
public final class RedisState implements SharedState {
  private static final Logger LOG = LoggerFactory.getLogger(RedisState.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A run key outlives any run (the longest wall limit is minutes): a replica that died leaves no key forever. */
  private static final java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofSeconds(10);
  private static final long RUN_TTL_SECONDS = 6 * 3600;
  private static final String TOKEN_BUCKET = """
      local burst = tonumber(ARGV[1])
      local per_micro = tonumber(ARGV[2]) / 60000000
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
      local tokens = tonumber(b[1])
      local ts = tonumber(b[2])
      if tokens == nil or ts == nil then tokens = burst; ts = now end
      tokens = math.min(burst, tokens + math.max(0, now - ts) * per_micro)
      local wait = 0
      if tokens >= 1 then
        tokens = tokens - 1
      else
        wait = math.max(1, math.ceil((1 - tokens) / per_micro / 1000000))
      end
      redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
      redis.call('PEXPIRE', KEYS[1], math.ceil(burst / per_micro / 1000) + 1000)
      return wait
      """;
  private final String prefix;
  private final String describe;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final StatefulRedisPubSubConnection<String, String> pubsub;
  private final RedisCommands<String, String> redis;
  private final List<Consumer<Killswitch>> killswitchListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> cancelListeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean up = new AtomicBoolean(true);
  private final String bucketScript;

  /** Connects to {@code url} (already resolved from a reference); fails when Redis cannot be reached now. */
  public RedisState(StateSettings.Redis settings, String url) {
    this.prefix = settings.keyPrefix();
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(CONNECT_TIMEOUT); // the connection handshake; commands get settings.timeout() below
    this.describe = "redis " + (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/"
        + uri.getDatabase() + " (keys " + prefix + ":*)";
    this.client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        // While Redis is down a command fails at once instead of waiting in a queue: a run never hangs on it.
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        // Connecting (at start, and Lettuce's reconnects in the background) may take longer than a command: class
        // loading and the first TLS handshake on a busy host. Commands never wait for it (they are rejected meanwhile).
        .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
        .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
        .build());
    try {
      this.connection = client.connect();
      this.pubsub = client.connectPubSub();
    } catch (RedisException e) {
      client.shutdown();
      throw new StateUnavailableException("state backend " + describe + " is not reachable: " + e.getMessage(), e);
    }
    connection.setTimeout(settings.timeout());
    pubsub.setTimeout(settings.timeout());
    this.redis = connection.sync();
    this.bucketScript = redis.scriptLoad(TOKEN_BUCKET);
    pubsub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        if (channel.equals(key("killswitch"))) {
          killswitchListeners.forEach(l -> l.accept(killswitchOf(message)));
        } else if (channel.equals(key("cancel"))) {
          cancelListeners.forEach(l -> l.accept(message));
        }
      }
    });
    pubsub.sync().subscribe(key("killswitch"), key("cancel"));
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public Optional<Killswitch> readKillswitch() {
    return Optional.ofNullable(call("read the killswitch", () -> redis.get(key("killswitch")))).map(RedisState::killswitchOf);
  }

  @Override
  public void writeKillswitch(Killswitch k) {
    String text = killswitchText(k);
    call("write the killswitch", () -> {
      redis.set(key("killswitch"), text);
      return redis.publish(key("killswitch"), text);
    });
  }

  @Override
  public void onKillswitch(Consumer<Killswitch> listener) {
    killswitchListeners.add(listener);
  }

  @Override
  public void runStarted(ActiveRun run) {
    ObjectNode n = JSON.createObjectNode();
    RunIdentity id = run.identity();
    n.put("run_id", id.runId()).put("task_id", id.taskId()).put("principal", id.principal()).put("session_id", id.sessionId())
        .put("profile", id.profile()).put("request_key", run.requestKey()).put("started_at_ms", run.startedAtMs());
    call("announce a run", () -> redis.set(key("run:" + id.runId()), n.toString(), SetArgs.Builder.ex(RUN_TTL_SECONDS)));
  }

  @Override
  public void runEnded(String runId) {
    call("withdraw a run", () -> redis.del(key("run:" + runId)));
  }

  @Override
  public List<ActiveRun> runs() {
    return call("list runs", () -> {
      List<String> keys = new ArrayList<>();
      ScanIterator.scan(redis, ScanArgs.Builder.matches(key("run:*")).limit(500)).forEachRemaining(keys::add);
      List<ActiveRun> out = new ArrayList<>();
      if (!keys.isEmpty()) {
        for (KeyValue<String, String> kv : redis.mget(keys.toArray(String[]::new))) {
          kv.ifHasValue(v -> out.add(activeRunOf(v)));
        }
      }
      return out;
    });
  }

  @Override
  public boolean requestCancel(String runId) {
    return call("cancel a run", () -> {
      if (redis.exists(key("run:" + runId)) == 0) {
        return false;
      }
      redis.publish(key("cancel"), runId);
      return true;
    });
  }

  @Override
  public void onCancel(Consumer<String> listener) {
    cancelListeners.add(listener);
  }

  @Override
  public OptionalLong tryAcquire(String principal, RateLimit limit) {
    Long wait = call("take a rate-limit token", () -> redis.<Long>evalsha(bucketScript, ScriptOutputType.INTEGER,
        new String[] {key("rate:" + principal)}, Integer.toString(limit.burst()), Double.toString(limit.perMinute())));
    return wait == 0 ? OptionalLong.empty() : OptionalLong.of(wait);
  }

  @Override
  public Optional<SharedPii> pii(String session, java.time.Duration ttl) {
    String tokens = key("pii:" + session + ":tokens");
    String values = key("pii:" + session + ":values");
    long ttlMs = ttl.toMillis();
    return Optional.of(new SharedPii() {
      @Override
      public Optional<String> value(String token) {
        return Optional.ofNullable(call("read a PII token", () -> touched(redis.hget(tokens, token))));
      }

      @Override
      public Optional<String> token(String key) {
        return Optional.ofNullable(call("read a PII token", () -> touched(redis.hget(values, key))));
      }

      @Override
      public String issue(String token, String key, String value) {
        return call("issue a PII token", () -> {
          // HSETNX on the value's entry decides the race between replicas: the loser adopts the winner's token.
          String inForce = redis.hsetnx(values, key, token) ? token : redis.hget(values, key);
          redis.hset(tokens, inForce, value);
          return touched(inForce);
        });
      }

      @Override
      public void forget() {
        call("forget a session's PII tokens", () -> redis.del(tokens, values));
      }

      private String touched(String result) {
        if (result != null) {
          redis.pexpire(tokens, ttlMs);
          redis.pexpire(values, ttlMs);
        }
        return result;
      }
    });
  }

  @Override
  public boolean up() {
    return up.get();
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public void close() {
    pubsub.close();
    connection.close();
    client.shutdown();
  }

  private <T> T call(String what, Supplier<T> command) {
    try {
      T value = command.get();
      if (up.compareAndSet(false, true)) {
        LOG.warn("state backend {} is back", describe);
      }
      return value;
    } catch (RedisException e) {
      if (up.compareAndSet(true, false)) {
        LOG.error("state backend {} is DOWN (could not {}): {}; the killswitch keeps its last-seen state, rate limits "
            + "fall back to this replica's own buckets, runs go on", describe, what, e.getMessage());
      }
      throw new StateUnavailableException("state backend " + describe + ": could not " + what + ": " + e.getMessage(), e);
    }
  }

  private String key(String name) {
    return prefix + ":" + name;
  }

  private static String killswitchText(Killswitch k) {
    ObjectNode n = JSON.createObjectNode();
    n.put("engaged", k.engaged()).put("by", k.by()).put("since_ms", k.sinceMs());
    return n.toString();
  }

  private static Killswitch killswitchOf(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return n.path("engaged").asBoolean(false)
          ? new Killswitch(true, n.path("by").asText(null), n.path("since_ms").asLong())
          : Killswitch.OFF;
    } catch (JsonProcessingException e) {
      // Something wrote this key that is not codemode: fail closed.
      LOG.error("the killswitch key holds something unreadable; treating the killswitch as ON: {}", e.getMessage());
      return new Killswitch(true, "unreadable state", 0);
    }
  }

  private static ActiveRun activeRunOf(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return new ActiveRun(new RunIdentity(n.path("run_id").asText(), n.path("task_id").asText(null),
          n.path("principal").asText(null), n.path("session_id").asText(null), n.path("profile").asText(null)),
          n.path("request_key").asText(null), n.path("started_at_ms").asLong());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable run record: " + e.getMessage(), e);
    }
  }
}
