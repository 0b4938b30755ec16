package dev.codemode.server.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.CodemodeService;
import dev.codemode.server.tool.ExecuteCodeTool;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server over stdio. Stdout carries JSON-RPC only: {@code System.out} is pointed at stderr
 * before anything else runs. The process ends when stdin reaches EOF (the SDK alone would linger).
 */
public final class StdioServer {
  private static final Logger LOG = LoggerFactory.getLogger(StdioServer.class);

  private StdioServer() {}

  /** Serves until stdin closes; returns the exit code. */
  public static int serve(CodemodeService service, String version) throws InterruptedException {
    PrintStream protocolOut = System.out;
    System.setOut(System.err);
    CountDownLatch eof = new CountDownLatch(1);
    // audit branch: the tap turns notifications/cancelled into run cancellation (the SDK has no hook for it)
    StdioLineGuard.Output out = new StdioLineGuard.Output(protocolOut);
    InputStream in = new EofSignallingInput(new dev.codemode.server.admin.StdioCancelTap(new StdioLineGuard(System.in, out),
        id -> service.oversight().cancelRequest("stdio", id)), eof::countDown);
    dev.codemode.server.artifacts.ArtifactResources artifacts = service.oversight().artifactResources("stdio", "stdio");
    StdioServerTransportProvider transport =
        new StdioServerTransportProvider(new JacksonMcpJsonMapper(new ObjectMapper()), in, out);
    McpSyncServer server = McpServer.sync(transport)
        .serverInfo("codemode", version)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, true).build())
        .requestTimeout(Duration.ofHours(1))
        .tools(ExecuteCodeTool.specification(service))
        .resourceTemplates(artifacts.template())
        .resources(artifacts.existing())
        .build();
    artifacts.attach(server);
    service.warmUpInBackground();
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
}
