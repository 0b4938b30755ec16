package dev.codemode.runtime.worker;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** Whether this JVM compiles with C1 only ({@code -XX:TieredStopAtLevel} below 4), as bin/codemode starts the server. */
final class QuickStartCompiler {
  private QuickStartCompiler() {}

  static boolean active() {
    try {
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return vm != null && Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) < 4;
    } catch (RuntimeException | LinkageError e) {
      // Not HotSpot, or the option is unknown: nothing to warn about.
      return false;
    }
  }
}
