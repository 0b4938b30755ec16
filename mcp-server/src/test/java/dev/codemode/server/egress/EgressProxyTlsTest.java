package dev.codemode.server.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.codemode.policies.EgressRuleSpec;
import dev.codemode.policies.NetPolicy;
import dev.codemode.server.Secrets;
import dev.codemode.runtime.RunJournal;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https through the proxy: connect to the checked IP, but SNI and the certificate check use the URL's host name. */
class EgressProxyTlsTest {
  private static final String NAME = "secure.test.example";
  private static final char[] PASSWORD = "changeit".toCharArray();
  @TempDir static Path dir;
  private static HttpsServer server;
  private static KeyStore keyStore;
  private static final List<List<SNIServerName>> sni = new CopyOnWriteArrayList<>();
  private static final AtomicInteger handled = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + NAME,
        "-ext", "SAN=dns:" + NAME, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
    keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(new javax.net.ssl.KeyManager[] {new SniRecorder((X509KeyManager) kmf.getKeyManagers()[0])}, null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext("/hello", ex -> {
      handled.incrementAndGet();
      LocalServers.respond(ex, 200, "hello over tls, host " + ex.getRequestHeaders().getFirst("Host"));
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static EgressProxy proxy(List<EgressRuleSpec> rules) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(keyStore);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);
    NetPolicy policy = new NetPolicy(true, rules, List.of(),
        Map.of(NAME, "127.0.0.1", "other.test.example", "127.0.0.1"), 20, 1 << 20, 1 << 20, 5000, 0);
    return EgressProxy.build(policy, new Secrets(Map.of()), client.getSocketFactory());
  }

  private static EgressRuleSpec https(String host) {
    return new EgressRuleSpec(host, List.of(), List.of(server.getAddress().getPort()), List.of("GET"), List.of(), true, null);
  }

  @Test
  void httpsToTheCheckedAddressUsesTheHostNameForSniAndCertificate() throws Exception {
    EgressProxy proxy = proxy(List.of(https(NAME)));
    int port = server.getAddress().getPort();
    sni.clear();
    FetchResponse response = proxy.fetch(new FetchRequest("https://" + NAME + ":" + port + "/hello", "GET", Map.of(), null),
        new RunJournal(), proxy.newBudget());
    assertEquals(200, response.status());
    assertEquals("hello over tls, host " + NAME + ":" + port, new String(response.body(), StandardCharsets.UTF_8));
    assertEquals(List.of(new javax.net.ssl.SNIHostName(NAME)), sni.get(0));
  }

  @Test
  void certificateForAnotherNameIsRefused() throws Exception {
    EgressProxy proxy = proxy(List.of(https("other.test.example"), https("127.0.0.1")));
    int port = server.getAddress().getPort();
    int before = handled.get();
    RunJournal journal = new RunJournal();
    EgressException byName = assertThrows(EgressException.class, () -> proxy.fetch(
        new FetchRequest("https://other.test.example:" + port + "/hello", "GET", Map.of(), null), journal, proxy.newBudget()));
    assertFalse(byName instanceof EgressDeniedException);
    assertTrue(byName.getMessage().contains("TLS failed for 'other.test.example'"), byName.getMessage());
    EgressException byIp = assertThrows(EgressException.class, () -> proxy.fetch(
        new FetchRequest("https://127.0.0.1:" + port + "/hello", "GET", Map.of(), null), journal, proxy.newBudget()));
    assertTrue(byIp.getMessage().contains("TLS failed for '127.0.0.1'"), byIp.getMessage());
    assertEquals(before, handled.get(), "no request may be sent over an unverified connection");
    assertTrue(journal.egress().get(0).outcome().startsWith("error: TLS failed"), journal.egress().toString());
  }

  @Test
  void httpsThroughTheUpstreamProxyIsTunnelledWithConnectAndStillCheckedByName() throws Exception {
    try (dev.codemode.server.e2e.Tinyproxy tinyproxy = dev.codemode.server.e2e.Tinyproxy.start(Files.createTempDirectory(dir, "proxy"), null)) {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(keyStore);
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, tmf.getTrustManagers(), null);
      dev.codemode.policies.UpstreamProxy upstream = new dev.codemode.policies.UpstreamProxy("http", "127.0.0.1",
          tinyproxy.port(), null, List.of());
      NetPolicy policy = new NetPolicy(true, List.of(https(NAME), https("other.test.example")), List.of(),
          Map.of(NAME, "127.0.0.1", "other.test.example", "127.0.0.1"), 20, 1 << 20, 1 << 20, 5000, 0, upstream);
      EgressProxy proxy = EgressProxy.build(policy, new Secrets(Map.of()), client.getSocketFactory());
      int port = server.getAddress().getPort();
      sni.clear();
      FetchResponse response = proxy.fetch(new FetchRequest("https://" + NAME + ":" + port + "/hello", "GET", Map.of(), null),
          new RunJournal(), proxy.newBudget());
      assertEquals(200, response.status());
      assertEquals(List.of(new javax.net.ssl.SNIHostName(NAME)), sni.get(0), "TLS ends at the destination, by name");
      assertTrue(tinyproxy.log().contains("CONNECT 127.0.0.1:" + port + " HTTP/1.1"), tinyproxy.log());
      int before = handled.get();
      EgressException wrongName = assertThrows(EgressException.class, () -> proxy.fetch(
          new FetchRequest("https://other.test.example:" + port + "/hello", "GET", Map.of(), null), new RunJournal(),
          proxy.newBudget()));
      assertTrue(wrongName.getMessage().contains("TLS failed for 'other.test.example'"), wrongName.getMessage());
      assertEquals(before, handled.get(), "the tunnel does not weaken the certificate check");
    }
  }

  @Test
  void aConnectTheProxyRefusesIsADenial() throws Exception {
    try (dev.codemode.server.e2e.Tinyproxy tinyproxy = dev.codemode.server.e2e.Tinyproxy.start(Files.createTempDirectory(dir, "proxy"), "u p")) {
      dev.codemode.policies.UpstreamProxy upstream = new dev.codemode.policies.UpstreamProxy("http", "127.0.0.1",
          tinyproxy.port(), null, List.of());
      NetPolicy policy = new NetPolicy(true, List.of(https(NAME)), List.of(), Map.of(NAME, "127.0.0.1"), 20, 1 << 20,
          1 << 20, 5000, 0, upstream);
      EgressProxy proxy = EgressProxy.build(policy, new Secrets(Map.of()));
      RunJournal journal = new RunJournal();
      EgressDeniedException e = assertThrows(EgressDeniedException.class, () -> proxy.fetch(new FetchRequest(
          "https://" + NAME + ":" + server.getAddress().getPort() + "/hello", "GET", Map.of(), null), journal, proxy.newBudget()));
      assertTrue(e.getMessage().contains("refused CONNECT: 407"), e.getMessage());
      assertEquals("net", journal.denials().get(0).kind());
    }
  }

  /** Delegates key choice and records the server names each client asked for. */
  private static final class SniRecorder extends X509ExtendedKeyManager {
    private final X509KeyManager delegate;

    SniRecorder(X509KeyManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      if (engine.getHandshakeSession() instanceof ExtendedSSLSession session) {
        sni.add(List.copyOf(session.getRequestedServerNames()));
      }
      return delegate.chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate.getPrivateKey(alias);
    }
  }
}
