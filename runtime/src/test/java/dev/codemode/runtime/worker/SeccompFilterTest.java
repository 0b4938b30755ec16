package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The program run through a small classic-BPF interpreter for each architecture: aarch64 cannot be
 * run on these machines, so its table is checked here (x86_64 is also checked live by {@link SeccompJailIT}).
 */
class SeccompFilterTest {
  private static final int ALLOW = 0x7fff0000;
  private static final int KILL = 0x80000000;
  private static final int EPERM = 0x00050000 | 1;
  private static final int ENOSYS = 0x00050000 | 38;

  /** Runs the filter on {@code struct seccomp_data} {nr, arch, ip = 0, args[0] = arg0}. */
  private static int verdict(int arch, int nr, long arg0) {
    ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    data.putInt(0, nr).putInt(4, arch).putLong(16, arg0);
    ByteBuffer prog = ByteBuffer.wrap(SeccompFilter.program()).order(ByteOrder.LITTLE_ENDIAN);
    int a = 0;
    for (int pc = 0; ; pc++) {
      int code = prog.getShort(pc * 8) & 0xffff;
      int jt = prog.get(pc * 8 + 2) & 0xff;
      int jf = prog.get(pc * 8 + 3) & 0xff;
      int k = prog.getInt(pc * 8 + 4);
      switch (code) {
        case 0x20 -> a = data.getInt(k);
        case 0x15 -> pc += a == k ? jt : jf;
        case 0x35 -> pc += Integer.compareUnsigned(a, k) >= 0 ? jt : jf;
        case 0x45 -> pc += (a & k) != 0 ? jt : jf;
        case 0x06 -> {
          return k;
        }
        default -> throw new AssertionError("unexpected BPF opcode " + code);
      }
    }
  }

  @Test
  void everyDeniedCallIsRefusedOnBothArchitectures() {
    for (SeccompFilter.Syscall s : SeccompFilter.DENIED) {
      if (s.x86_64() >= 0) {
        assertEquals(EPERM, verdict(SeccompFilter.AUDIT_ARCH_X86_64, s.x86_64(), 0), s.name() + " on x86_64");
      }
      if (s.aarch64() >= 0) {
        assertEquals(EPERM, verdict(SeccompFilter.AUDIT_ARCH_AARCH64, s.aarch64(), 0), s.name() + " on aarch64");
      }
    }
  }

  @Test
  void cloneSocketsAndTheRestOnAarch64() {
    int arm = SeccompFilter.AUDIT_ARCH_AARCH64;
    assertEquals(ALLOW, verdict(arm, 220, 0x3d0f00), "clone for a thread (CLONE_VM|CLONE_THREAD|…)");
    assertEquals(ALLOW, verdict(arm, 220, 17), "clone for a fork (SIGCHLD)");
    assertEquals(EPERM, verdict(arm, 220, 0x10000000 | 17), "clone with CLONE_NEWUSER");
    assertEquals(ENOSYS, verdict(arm, 435, 0), "clone3");
    assertEquals(ALLOW, verdict(arm, 198, 1), "socket(AF_UNIX)");
    assertEquals(EPERM, verdict(arm, 198, 2), "socket(AF_INET)");
    assertEquals(EPERM, verdict(arm, 199, 10), "socketpair(AF_INET6)");
    assertEquals(ALLOW, verdict(arm, 63, 0), "read");
    assertEquals(ALLOW, verdict(arm, 222, 0), "mmap");
  }

  @Test
  void aForeignArchitectureAndTheX32AbiAreKilled() {
    assertEquals(KILL, verdict(0x40000003 /* AUDIT_ARCH_I386 */, 1, 0));
    assertEquals(KILL, verdict(0x40000028 /* AUDIT_ARCH_ARM */, 1, 0));
    assertEquals(KILL, verdict(SeccompFilter.AUDIT_ARCH_X86_64, 0x40000000 | 1, 0), "x32 write");
    assertEquals(ALLOW, verdict(SeccompFilter.AUDIT_ARCH_X86_64, 1, 0), "x86_64 write");
  }
}
