package dev.codemode.server.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.RunResult;

/** The trace of one run: its span, and a step span per bridge call. {@link #NONE} records nothing. */
public interface RunTrace {
  /** No trace: constant steps and scopes, nothing allocated per call. */
  RunTrace NONE = new RunTrace() {
    @Override
    public String traceId() {
      return null;
    }

    @Override
    public String spanId() {
      return null;
    }

    @Override
    public Step step(BridgeCall call) {
      return Step.NONE;
    }

    @Override
    public void end(RunResult result) {}
  };

  /** The trace id (32 hex digits), null when not traced. */
  String traceId();

  /** The run span's id (16 hex digits), null when not traced. */
  String spanId();

  /** Starts the span of bridge call {@code call}. */
  Step step(BridgeCall call);

  /** Ends the run span with {@code result} (null: the run was refused as busy). */
  void end(RunResult result);

  /** One bridge call's span. */
  interface Step {
    /** No span. */
    Step NONE = new Step() {
      @Override
      public Scope enter() {
        return Scope.NONE;
      }

      @Override
      public void end(JsonNode value, Throwable error) {}
    };

    /** Makes this span current on this thread until the scope closes (so an approval asked meanwhile is its child). */
    Scope enter();

    /** Ends the span with the call's value or error. */
    void end(JsonNode value, Throwable error);
  }

  /** A span made current on one thread. */
  interface Scope extends AutoCloseable {
    /** Nothing was made current. */
    Scope NONE = () -> {};

    @Override
    void close();
  }
}
