package dev.codemode.server;

import dev.codemode.server.cli.Commands;
import java.util.Arrays;

/** The launcher's entry point ({@code bin/codemode}). */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    int code = Commands.dispatch(Arrays.asList(args), System.out, System.err);
    System.exit(code);
  }
}
