package dev.codemode.server.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.codemode.policies.ops.AuditSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Wires the audit logger ({@value #LOGGER}) to its sink with the {@link AuditEncoder}: one flat JSON object
 * per line (the fields of {@code audit-event.schema.json}), to stderr or to a size-rotated file. Never
 * stdout, which carries JSON-RPC in stdio mode.
 */
public final class AuditSink {
  /** The audit logger's name; it does not pass events on to the root logger. */
  public static final String LOGGER = "codemode.audit";

  private AuditSink() {}

  /** Configures the audit logger for {@code settings}, replacing an earlier sink; returns it. */
  public static org.slf4j.Logger configure(AuditSettings settings) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = ctx.getLogger(LOGGER);
    logger.detachAndStopAllAppenders();
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    AuditEncoder encoder = new AuditEncoder();
    encoder.setContext(ctx);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = settings.toFile() ? file(ctx, settings) : stderr(ctx);
    appender.setEncoder(encoder);
    appender.start();
    if (settings.toFile()) {
      try {
        // The log holds code heads and targets: readable by the server's user only.
        OwnerOnly.file(Path.of(settings.path()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot restrict the audit log " + settings.path(), e);
      }
    }
    logger.addAppender(appender);
    return logger;
  }

  private static OutputStreamAppender<ILoggingEvent> stderr(LoggerContext ctx) {
    ConsoleAppender<ILoggingEvent> a = new ConsoleAppender<>();
    a.setContext(ctx);
    a.setName("audit-stderr");
    a.setTarget("System.err");
    return a;
  }

  private static OutputStreamAppender<ILoggingEvent> file(LoggerContext ctx, AuditSettings settings) {
    Path path = Path.of(settings.path());
    try {
      OwnerOnly.folder(path.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the audit log folder for " + path, e);
    }
    RollingFileAppender<ILoggingEvent> a = new RollingFileAppender<>();
    a.setContext(ctx);
    a.setName("audit-file");
    a.setFile(path.toString());
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(ctx);
    rolling.setParent(a);
    rolling.setFileNamePattern(path + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(settings.maxHistory());
    rolling.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(ctx);
    trigger.setMaxFileSize(FileSize.valueOf(settings.maxFileMb() + "MB"));
    trigger.start();
    a.setRollingPolicy(rolling);
    a.setTriggeringPolicy(trigger);
    return a;
  }
}
