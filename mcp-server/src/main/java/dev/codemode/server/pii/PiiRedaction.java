package dev.codemode.server.pii;

import dev.codemode.runtime.Denial;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.GuestError;
import dev.codemode.runtime.RunResult;

/** Applies a session's tokenizer to everything in a run result that goes back to the model. */
public final class PiiRedaction {
  private PiiRedaction() {}

  /** {@code r} with PII in its result, console, error, denial targets and egress URLs replaced by tokens. */
  public static RunResult apply(RunResult r, PiiTokenizer t) {
    GuestError e = r.error() == null ? null
        : new GuestError(r.error().type(), t.tokenize(r.error().message()), t.tokenize(r.error().stack()));
    return new RunResult(r.runId(), r.status(), t.tokenize(r.result()), t.tokenize(r.console()), e, r.limit(),
        r.denials().stream().map(d -> new Denial(d.rule(), t.tokenize(d.target()), t.tokenize(d.reason()))).toList(),
        r.toolCalls(),
        r.egress().stream().map(x -> new EgressRecord(x.method(), t.tokenize(x.url()), x.outcome())).toList(),
        r.files(), r.durationMs(), r.cpuMs(), r.drops());
  }
}
