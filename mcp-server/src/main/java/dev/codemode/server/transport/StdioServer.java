package dev.codemode.server.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.StdioSettings;
import dev.codemode.server.CodemodeService;
import dev.codemode.server.RunAnswer;
import dev.codemode.server.approval.ElicitationApprover;
import dev.codemode.server.artifacts.ArtifactResources;
import dev.codemode.server.audit.LogText;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.tool.ExecuteCodeTool;
import dev.codemode.server.tool.RunProgress;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server over stdio. Stdout carries JSON-RPC only: {@code System.out} is pointed at stderr
 * before anything else runs. The process ends when stdin reaches EOF (the SDK alone would linger).
 */
public final class StdioServer {
  private static final Logger LOG = LoggerFactory.getLogger(StdioServer.class);
  /** The principal and session of the one stdio client. */
  private static final String PRINCIPAL = "stdio";

  private StdioServer() {}

  /** Serves {@code service} until stdin closes, then closes it; returns the exit code. */
  public static int serve(CodemodeService service, String version) throws InterruptedException {
    PrintStream protocolOut = System.out;
    System.setOut(System.err);
    CountDownLatch eof = new CountDownLatch(1);
    // The guard answers a malformed line with a JSON-RPC parse error; the tap turns notifications/cancelled
    // into run cancellation (the SDK has no hook for it).
    StdioLineGuard.Output out = new StdioLineGuard.Output(protocolOut);
    InputStream in = new EofSignallingInput(new StdioCancelTap(new StdioLineGuard(System.in, out),
        id -> service.oversight().cancelRequest(PRINCIPAL, id)), eof::countDown);
    // One client owns the whole process: its artifacts are listed, and each run's new ones announced.
    ArtifactResources artifacts = service.oversight().artifactResources(PRINCIPAL, PRINCIPAL);
    StdioServerTransportProvider transport =
        new StdioServerTransportProvider(new JacksonMcpJsonMapper(new ObjectMapper()), in, out);
    McpSyncServer server = McpSurface.build(McpServer.sync(transport), service, version,
        (exchange, request) -> ExecuteCodeTool.answer(service, () -> {
          RunAnswer denied = profileDenied(service.config().stdio(), request.arguments());
          if (denied != null) {
            return denied;
          }
          RunAnswer answer;
          try (RunProgress progress = RunProgress.forRequest(exchange, request.meta())) {
            answer = service.executeCode(request.arguments(), RunCaller.from(PRINCIPAL, PRINCIPAL, request.meta()),
                timeout -> ElicitationApprover.of(exchange, timeout), progress::watch);
          }
          if (answer instanceof RunAnswer.Ran ran) {
            artifacts.published(ran.artifacts());
          }
          return answer;
        }), exchange -> artifacts, artifacts.existing());
    artifacts.attach(server);
    LOG.info("codemode {} serving MCP over stdio (config: {})", version, service.config().source());
    eof.await();
    LOG.info("stdin closed; shutting down");
    try {
      server.closeGracefully();
    } catch (RuntimeException e) {
      LOG.debug("close after EOF", e);
    }
    service.close();
    return 0;
  }

  /** Passes reads through and reports the first end of stream. */
  private static final class EofSignallingInput extends FilterInputStream {
    private final Runnable onEof;

    EofSignallingInput(InputStream in, Runnable onEof) {
      super(in);
      this.onEof = onEof;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        onEof.run();
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n < 0) {
        onEof.run();
      }
      return n;
    }
  }

  /** The stdio client's profile grant ({@code stdio.profiles}), checked first as an HTTP principal's is; null when allowed. */
  private static RunAnswer profileDenied(StdioSettings grant, Map<String, Object> arguments) {
    String profile = arguments != null && arguments.get("profile") instanceof String s ? s : "default";
    if (grant.mayUse(profile)) {
      return null;
    }
    LOG.info("denied profile '{}' to the stdio client", LogText.escape(profile));
    return new RunAnswer.Refused("denied: the stdio client may not use profile '" + profile + "' (allowed: "
        + grant.describeProfiles() + ")");
  }
}
