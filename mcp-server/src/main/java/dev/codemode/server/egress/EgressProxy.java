package dev.codemode.server.egress;

import dev.codemode.policies.Printable;
import dev.codemode.policies.NetPolicy;
import dev.codemode.policies.net.AddressClass;
import dev.codemode.policies.net.DomainName;
import dev.codemode.policies.net.EgressMatcher;
import dev.codemode.policies.net.EgressRule;
import dev.codemode.policies.net.EgressTarget;
import dev.codemode.policies.net.HostCanonicalizer;
import dev.codemode.policies.net.HostName;
import dev.codemode.policies.net.IpLiteral;
import dev.codemode.policies.net.Verdict;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.HostBudget;
import dev.codemode.runtime.RunJournal;
import dev.codemode.server.Secrets;
import dev.codemode.server.secrets.SecretUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The egress proxy behind the guest's {@code fetch()}, built once per profile.
 *
 * <p>Each hop goes through the whole pipeline: network enabled; strict URL parse and host
 * canonicalization ({@link EgressTarget}); cloud metadata names refused; {@link EgressMatcher} (built-in
 * exfiltration list, deny rules, allow rules); address lookup; every address checked with
 * {@link AddressClass} (non-public only with the rule's {@code allow_private}, metadata never); the run's
 * {@link EgressBudget}; then a connection to one of exactly those checked addresses.
 *
 * <p>{@code net.resolve} overrides (host to IP literal) are honoured only when the rule that allowed the
 * request has {@code allow_private: true}; otherwise the request is denied, so an override can never
 * quietly point a public rule somewhere else. Redirects (301, 302, 303, 307, 308) are followed by hand,
 * at most {@value #MAX_REDIRECTS}, each hop re-checked and counted against the budget; 307/308 keep the
 * method and body, the others become GET without a body (HEAD stays HEAD). The credential of the rule
 * that allowed a hop is injected into that hop only ({@link RuleSecrets}: read from its source for each hop,
 * one retry with a refreshed token after a 401, taken back out of the response headers).
 */
public final class EgressProxy {
  /** Redirects followed per fetch. */
  public static final int MAX_REDIRECTS = 5;
  /** How much of a URL or a failure message a journal entry or a reason quotes. */
  private static final int MAX_URL_CHARS = 2048;

  private final NetPolicy policy;
  private final EgressMatcher matcher;
  private final Map<String, InetAddress> overrides;
  private final RuleSecrets ruleSecrets;
  private final UpstreamRoute upstream;
  private final Http11Client client;

  private EgressProxy(NetPolicy policy, EgressMatcher matcher, Map<String, InetAddress> overrides,
      RuleSecrets ruleSecrets, UpstreamRoute upstream, SSLSocketFactory tls) {
    this.policy = policy;
    this.matcher = matcher;
    this.overrides = overrides;
    this.ruleSecrets = ruleSecrets;
    this.upstream = upstream;
    this.client = new Http11Client(tls);
  }

  /**
   * Compiles {@code policy}: rules, {@code net.resolve} and credentials (each checked now through
   * {@code secrets}: a referenced variable that is not set, or an unreadable file, fails the build).
   *
   * @throws IllegalArgumentException naming the first bad rule, override, credential or limit
   */
  public static EgressProxy build(NetPolicy policy, Secrets secrets) {
    return build(policy, secrets, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  static EgressProxy build(NetPolicy policy, Secrets secrets, SSLSocketFactory tls) {
    Objects.requireNonNull(secrets, "secrets");
    if (policy.enabled()) {
      EgressBudget.forRun(policy); // validates the limits; a disabled policy's limits are never used
    }
    EgressMatcher matcher = EgressMatcher.compile(policy.allow(), policy.deny());
    Map<String, InetAddress> overrides = new HashMap<>();
    for (Map.Entry<String, String> e : policy.resolve().entrySet()) {
      HostName name = canonical(e.getKey(), "net.resolve key");
      HostName address = canonical(e.getValue(), "net.resolve value for '" + e.getKey() + "'");
      if (!(name instanceof DomainName domain)) {
        throw new IllegalArgumentException("net.resolve: key '" + e.getKey() + "' must be a host name, not an IP address");
      }
      if (!(address instanceof IpLiteral ip)) {
        throw new IllegalArgumentException("net.resolve: value for '" + e.getKey() + "' must be an IP address");
      }
      overrides.put(domain.name(), ip.address());
    }
    RuleSecrets ruleSecrets = RuleSecrets.compile(matcher.allowRules(), secrets);
    return new EgressProxy(policy, matcher, Map.copyOf(overrides), ruleSecrets,
        UpstreamRoute.of(policy.upstreamProxy(), secrets), tls);
  }

  private static HostName canonical(String text, String what) {
    try {
      return HostCanonicalizer.canonicalize(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
  }

  /** A fresh budget for one run. */
  public EgressBudget newBudget() {
    return policy.enabled() ? EgressBudget.forRun(policy) : new EgressBudget(0, 0, 0, 0, 1);
  }

  /** The egress of one run under this policy, on {@code threads}; close it when the run ends. */
  public RunEgress openRun(EgressThreads threads) {
    return new RunEgress(this, newBudget(), threads);
  }

  /**
   * Performs one fetch to its end on the calling thread, with {@code budget} (a run of its own, for
   * callers outside a run's lifecycle).
   *
   * @throws EgressDeniedException when the policy or budget refuses a hop (recorded as a denial)
   * @throws EgressException when the request failed (recorded as {@code error: ...})
   */
  public FetchResponse fetch(FetchRequest request, RunJournal journal, EgressBudget budget) throws EgressException {
    try (EgressThreads threads = new EgressThreads(1); RunEgress run = new RunEgress(this, budget, threads)) {
      CompletableFuture<FetchResponse> response = fetch(request, journal, run, HostBudget.unlimited());
      try {
        return response.get();
      } catch (InterruptedException e) {
        run.close(); // ends the request in flight, as the end of a run does
        Thread.currentThread().interrupt();
        throw new EgressException("fetch interrupted");
      } catch (ExecutionException e) {
        throw egressFailure(e);
      }
    }
  }

  /** The {@link EgressException} a failed fetch stage carries. */
  public static EgressException egressFailure(Throwable failure) {
    return BridgeException.unwrap(failure) instanceof EgressException e ? e : new EgressException("the request failed");
  }

  /**
   * Performs the guest's fetch for {@code run}. Each hop is checked against the policy, then reserves the
   * run's budget (count and rate) before any lookup, waits for its rate token on the run's timer, and does
   * its lookup and exchange in one of the run's network slots. The stage fails with an
   * {@link EgressDeniedException} when the policy or budget refuses a hop (recorded as a denial), and with
   * an {@link EgressException} when the request failed (recorded as {@code error: ...}).
   */
  CompletableFuture<FetchResponse> fetch(FetchRequest request, RunJournal journal, RunEgress run, HostBudget host) {
    String url = request.url() == null ? "" : request.url();
    String method = request.method() == null || request.method().isEmpty() ? "GET" : request.method();
    if (!policy.enabled()) {
      return CompletableFuture.failedFuture(
          deny(journal, DenialRule.NET_DISABLED, method, url, "network access is disabled by policy (profile net.enabled: false)"));
    }
    List<Map.Entry<String, String>> headers;
    try {
      headers = EgressHeaders.fromGuest(request.headers());
      run.budget().checkRequestBody(request.body() == null ? 0 : request.body().length);
    } catch (EgressDeniedException e) {
      return CompletableFuture.failedFuture(deny(journal, method, url, "", e));
    }
    try {
      method = EgressTarget.normalizeMethod(method);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(deny(journal, DenialRule.NET_REQUEST, method, url, e.getMessage()));
    }
    return hop(new Hop(url, method, headers, request.body(), 0, false), journal, run, host);
  }

  /** One hop of a fetch: where it goes and what it sends; {@code redirects} hops came before it. */
  private record Hop(String url, String method, List<Map.Entry<String, String>> headers, byte[] body, int redirects,
      boolean credentialRefreshed) {}

  /** A hop that passed the policy and took its place in the budget. */
  private record Checked(Hop hop, EgressTarget target, EgressRule rule, long waitNanos, String prefix) {}

  /** {@code refreshCredential}: a 401 to a hop whose rule can fetch a new token; the hop is sent once more. */
  private record Answer(EgressTarget target, Http11Client.Response response, boolean refreshCredential) {}

  private CompletableFuture<FetchResponse> hop(Hop hop, RunJournal journal, RunEgress run, HostBudget host) {
    Checked checked;
    try {
      checked = check(hop, journal, run.budget());
    } catch (EgressException e) {
      return CompletableFuture.failedFuture(e);
    }
    return run.after(checked.waitNanos())
        .thenCompose(v -> run.onNetwork(() -> send(checked, journal, run), host))
        .whenComplete((answer, error) -> {
          if (error != null && egressFailure(error) instanceof RunEgress.RunEndedException ended) {
            journal.egress(new EgressRecord(checked.target().method(), Printable.of(hop.url(), MAX_URL_CHARS),
                ended instanceof RunEgress.UnsettledAtRunEndException
                    ? "cancelled: the run ended while the request was in flight"
                    : "cancelled: the run ended before it was sent"));
          }
        })
        .thenCompose(answer -> answer.refreshCredential()
            // A token can be revoked or rotated before its stated expiry: the hop goes once more, with a new
            // token, through the same checks and budget as any other.
            ? hop(new Hop(hop.url(), hop.method(), hop.headers(), hop.body(), hop.redirects(), true), journal, run, host)
            : next(hop, answer, journal, run, host));
  }

  private CompletableFuture<FetchResponse> next(Hop hop, Answer answer, RunJournal journal, RunEgress run, HostBudget host) {
    Http11Client.Response response = answer.response();
    List<String> location = response.headers().get("location");
    boolean redirect = location != null && !location.isEmpty()
        && (response.status() == 301 || response.status() == 302 || response.status() == 303
            || response.status() == 307 || response.status() == 308);
    if (!redirect) {
      return CompletableFuture.completedFuture(
          new FetchResponse(response.status(), response.reason(), response.headers(), response.body(), answer.target().url()));
    }
    if (hop.redirects() == MAX_REDIRECTS) {
      String reason = "too many redirects (more than " + MAX_REDIRECTS + ")";
      journal.egress(new EgressRecord(hop.method(), Printable.of(hop.url(), MAX_URL_CHARS), "error: " + reason));
      return CompletableFuture.failedFuture(new EgressException(reason + " at " + answer.target().url()));
    }
    String nextUrl;
    try {
      nextUrl = resolveLocation(answer.target(), location.get(0), journal, hop.method());
    } catch (EgressException e) {
      return CompletableFuture.failedFuture(e);
    }
    Hop following = response.status() == 307 || response.status() == 308
        ? new Hop(nextUrl, hop.method(), hop.headers(), hop.body(), hop.redirects() + 1, false)
        : new Hop(nextUrl, hop.method().equalsIgnoreCase("HEAD") ? "HEAD" : "GET", withoutBodyHeaders(hop.headers()), null,
            hop.redirects() + 1, false);
    return hop(following, journal, run, host);
  }

  /** The policy checks that need no network, then the hop's place in the budget (before any lookup). */
  private Checked check(Hop hop, RunJournal journal, EgressBudget budget) throws EgressException {
    String url = hop.url();
    String method = hop.method();
    byte[] body = hop.body();
    String prefix = hop.redirects() > 0 ? "redirect to '" + Printable.of(url, MAX_URL_CHARS) + "' denied: " : "";
    EgressTarget target;
    try {
      target = EgressTarget.parse(url, EgressTarget.normalizeMethod(method));
    } catch (IllegalArgumentException e) {
      throw deny(journal, DenialRule.NET_REQUEST, method, url, prefix + "refused URL: " + e.getMessage());
    }
    if ((target.method().equals("GET") || target.method().equals("HEAD")) && body != null && body.length > 0) {
      throw deny(journal, DenialRule.NET_REQUEST, method, url, prefix + "a " + target.method() + " request cannot have a body");
    }
    if (target.host() instanceof DomainName name && AddressClass.isMetadataName(name.name())) {
      throw deny(journal, DenialRule.NET_ADDRESS, target.method(), url, prefix + "host '" + name.name() + "' is a cloud metadata service (always denied)");
    }
    Verdict verdict = matcher.check(target);
    if (!verdict.allowed()) {
      throw deny(journal, verdict.rule() != null && verdict.rule().builtIn() ? DenialRule.NET_EXFIL_LIST : DenialRule.NET_RULE,
          target.method(), url, prefix + verdict.reason());
    }
    long waitNanos;
    try {
      waitNanos = budget.reserve();
    } catch (EgressDeniedException e) {
      throw deny(journal, target.method(), url, prefix, e);
    }
    return new Checked(hop, target, verdict.rule(), waitNanos, prefix);
  }

  /** The hop's lookup, address checks and exchange; runs in one of the run's network slots. */
  private Answer send(Checked checked, RunJournal journal, RunEgress run) throws EgressException {
    EgressTarget target = checked.target();
    EgressRule rule = checked.rule();
    String url = checked.hop().url();
    String prefix = checked.prefix();
    List<InetAddress> addresses = addresses(target, rule, journal, url, prefix);
    for (InetAddress address : addresses) {
      AddressClass cls = AddressClass.of(address);
      if (cls == AddressClass.METADATA) {
        throw deny(journal, DenialRule.NET_ADDRESS, target.method(), url, prefix + "host '" + target.host().text() + "' resolves to "
            + address.getHostAddress() + ", a cloud metadata address (always denied)");
      }
      if (!cls.isPublic() && !rule.allowPrivate()) {
        throw deny(journal, DenialRule.NET_ADDRESS, target.method(), url, prefix + "host '" + target.host().text() + "' resolves to "
            + address.getHostAddress() + " (" + cls.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
            + "), which " + rule.describe() + " does not allow (allow_private: false)");
      }
    }
    List<Map.Entry<String, String>> guestHeaders = checked.hop().headers();
    byte[] body = checked.hop().body();
    if (!run.mayConnect()) {
      throw new RunEgress.RunEndedException();
    }
    try {
      RuleSecrets.Applied applied = ruleSecrets.apply(rule, target, hostHeader(target), guestHeaders, body);
      Http11Client.Response response = exchange(addresses, target, applied.headers(), body, run.budget());
      journal.egress(new EgressRecord(target.method(), Printable.of(url, MAX_URL_CHARS), "allowed"));
      if (response.status() == 401 && !checked.hop().credentialRefreshed() && ruleSecrets.refreshAfterUnauthorized(rule)) {
        return new Answer(target, response, true);
      }
      return new Answer(target, new Http11Client.Response(response.status(), response.reason(),
          ruleSecrets.strip(rule, applied, response.headers()), RuleSecrets.mask(applied, response.body())), false);
    } catch (Http11Client.ProxyRefusedException e) {
      throw deny(journal, DenialRule.NET_RULE, target.method(), url, prefix + e.getMessage());
    } catch (SecretUnavailableException e) {
      String reason = "the credential of " + rule.describe() + " is unavailable: " + e.getMessage();
      journal.egress(new EgressRecord(target.method(), Printable.of(url, MAX_URL_CHARS), "error: " + reason));
      throw new EgressException(target.method() + " " + target.url() + " failed: " + reason);
    } catch (IOException e) {
      boolean cancelled = run.closed();
      String reason = cancelled ? "the run ended while the request was in flight" : describe(e, target);
      journal.egress(new EgressRecord(target.method(), Printable.of(url, MAX_URL_CHARS), (cancelled ? "cancelled: " : "error: ") + reason));
      throw new EgressException(target.method() + " " + target.url() + " failed: " + reason);
    }
  }

  private Http11Client.Response exchange(List<InetAddress> addresses, EgressTarget target,
      List<Map.Entry<String, String>> headers, byte[] body, EgressBudget budget) throws IOException {
    String hostHeader = hostHeader(target);
    UpstreamRoute.Route route = upstream.route(target, addresses,
        target.host() instanceof DomainName name ? overrides.get(name.name()) : null);
    List<Map.Entry<String, String>> sent = headers;
    if (!route.proxyHeaders().isEmpty()) {
      sent = new ArrayList<>(headers);
      sent.addAll(route.proxyHeaders());
    }
    byte[] head = Http11Client.head(target.method(), route.requestTarget(), hostHeader, sent, body);
    ConnectException refused = null;
    for (InetAddress address : route.addresses()) {
      try {
        Http11Client.Response response = client.exchange(address, route.port(), route.connect(),
            target.scheme().equals("https"), target.host(), head, body, target.method(), budget.timeoutMs(),
            budget.maxResponseBytes());
        String refusal = UpstreamRoute.refusal(route, response);
        if (refusal != null) {
          throw new Http11Client.ProxyRefusedException(refusal);
        }
        return response;
      } catch (ConnectException e) {
        refused = e; // try the next checked address
      }
    }
    throw refused != null ? refused : new IOException("no address to connect to");
  }

  private static String hostHeader(EgressTarget target) {
    return target.host().uriHost() + (target.port() == EgressTarget.defaultPort(target.scheme()) ? "" : ":" + target.port());
  }

  private List<InetAddress> addresses(EgressTarget target, EgressRule rule, RunJournal journal, String url, String prefix)
      throws EgressException {
    if (target.host() instanceof IpLiteral ip) {
      return List.of(ip.address());
    }
    String name = ((DomainName) target.host()).name();
    InetAddress override = overrides.get(name);
    if (override != null) {
      if (!rule.allowPrivate()) {
        throw deny(journal, DenialRule.NET_RULE, target.method(), url, prefix + "net.resolve override for '" + name + "' is honoured only by rules with "
            + "allow_private: true, and " + rule.describe() + " does not set it");
      }
      return List.of(override);
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(name);
      return List.of(all);
    } catch (UnknownHostException e) {
      String reason = "DNS lookup failed for '" + name + "'";
      journal.egress(new EgressRecord(target.method(), Printable.of(url, MAX_URL_CHARS), "error: " + reason));
      throw new EgressException(target.method() + " " + target.url() + " failed: " + reason);
    }
  }

  private static String resolveLocation(EgressTarget from, String location, RunJournal journal, String method)
      throws EgressException {
    try {
      return new URI(from.url()).resolve(new URI(location)).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      String reason = "invalid redirect Location '" + Printable.of(location, MAX_URL_CHARS) + "'";
      journal.egress(new EgressRecord(method, from.url(), "error: " + reason));
      throw new EgressException(reason);
    }
  }

  private static List<Map.Entry<String, String>> withoutBodyHeaders(List<Map.Entry<String, String>> headers) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      String n = h.getKey();
      if (!n.equalsIgnoreCase("content-type") && !n.equalsIgnoreCase("content-encoding")
          && !n.equalsIgnoreCase("content-language") && !n.equalsIgnoreCase("content-location")) {
        out.add(h);
      }
    }
    return out;
  }

  private static String describe(IOException e, EgressTarget target) {
    if (e instanceof Http11Client.TooLargeException || e instanceof Http11Client.DeadlineException) {
      return e.getMessage();
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof SSLException) {
      return "TLS failed for '" + target.host().text() + "': " + Printable.of(e.getMessage(), MAX_URL_CHARS);
    }
    if (e instanceof java.nio.channels.ClosedByInterruptException) {
      return "interrupted";
    }
    return Printable.of(e.getMessage(), MAX_URL_CHARS);
  }

  private static EgressDeniedException deny(RunJournal journal, DenialRule rule, String method, String url, String reason) {
    String target = Printable.of(url, MAX_URL_CHARS);
    journal.deny(new Denial(rule, target, reason));
    journal.egress(new EgressRecord(Printable.of(method, MAX_URL_CHARS), target, "denied"));
    return new EgressDeniedException(reason);
  }

  /** As above, keeping which budget limit refused the request. */
  private static EgressDeniedException deny(RunJournal journal, String method, String url, String prefix,
      EgressDeniedException cause) {
    DenialRule rule = cause instanceof EgressLimitException ? DenialRule.NET_BUDGET : DenialRule.NET_REQUEST;
    EgressDeniedException plain = deny(journal, rule, method, url, prefix + cause.getMessage());
    return cause instanceof EgressLimitException limit ? new EgressLimitException(limit.limit(), plain.getMessage()) : plain;
  }
}
