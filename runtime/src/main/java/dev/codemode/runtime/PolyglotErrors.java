package dev.codemode.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** Turns a guest {@link PolyglotException} into a {@link GuestError} that shows only the agent's own frames. */
final class PolyglotErrors {
  private static final Pattern TYPED = Pattern.compile("^([A-Za-z]*Error): (.*)$", Pattern.DOTALL);
  private static final int MAX_FRAMES = 20;

  private PolyglotErrors() {}

  static GuestError toGuestError(PolyglotException e, int firstLineShift) {
    String raw = String.valueOf(e.getMessage());
    String type = e.isSyntaxError() ? "SyntaxError" : "Error";
    String message = raw;
    Matcher m = TYPED.matcher(raw);
    if (m.matches()) {
      type = m.group(1);
      message = m.group(2);
    }
    List<String> frames = new ArrayList<>();
    if (e.isSyntaxError() && e.getSourceLocation() != null) {
      frames.add("    at " + location(e.getSourceLocation(), firstLineShift));
    }
    for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
      SourceSection s = f.getSourceLocation();
      if (!f.isGuestFrame() || s == null || !isAgentSource(s.getSource().getName()) || frames.size() >= MAX_FRAMES) {
        continue;
      }
      String name = f.getRootName();
      String where = location(s, firstLineShift);
      frames.add("    at " + (name == null || name.isEmpty() || name.startsWith(":") ? where : name + " (" + where + ")"));
    }
    return new GuestError(type, message, frames.isEmpty() ? null : String.join("\n", frames));
  }

  private static boolean isAgentSource(String name) {
    return RunExecution.AGENT_SCRIPT.equals(name) || name.endsWith("agent.mjs");
  }

  private static String location(SourceSection s, int firstLineShift) {
    int line = s.getStartLine();
    int column = s.getStartColumn();
    if (line == 1 && s.getSource().getName().equals(RunExecution.AGENT_SCRIPT)) {
      column = Math.max(1, column - firstLineShift);
    }
    return s.getSource().getName() + ":" + line + ":" + column;
  }
}
