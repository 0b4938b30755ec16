package dev.codemode.runtime.worker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seccomp deny list of a jailed worker JVM, as the classic-BPF program bubblewrap loads
 * ({@code --seccomp FD}). In the spirit of Docker's default profile, but a deny list: the JVM's own
 * needs (threads, memory, files, pipes, {@code AF_UNIX} sockets) stay allowed, and each call below
 * fails with {@code EPERM} ({@code clone3} with {@code ENOSYS}, so the C library falls back to
 * {@code clone}, whose flags can be checked). The architecture is checked first: x86_64 and aarch64
 * have their own tables; any other architecture (and the x32 ABI on x86_64) kills the process.
 */
final class SeccompFilter {
  static final int AUDIT_ARCH_X86_64 = 0xC000003E;
  static final int AUDIT_ARCH_AARCH64 = 0xC00000B7;
  static final int EPERM = 1;
  static final int ENOSYS = 38;
  static final int AF_UNIX = 1;
  /**
   * Every {@code CLONE_NEW*} flag clone() takes: a thread or a fork is allowed, a new namespace is not
   * ({@code CLONE_NEWTIME} only exists for clone3 and unshare, which are denied whole).
   */
  static final int CLONE_NAMESPACE_FLAGS = 0x00020000 /* NEWNS */ | 0x02000000 /* NEWCGROUP */ | 0x04000000 /* NEWUTS */
      | 0x08000000 /* NEWIPC */ | 0x10000000 /* NEWUSER */ | 0x20000000 /* NEWPID */ | 0x40000000 /* NEWNET */;
  private static final int X32_SYSCALL_BIT = 0x40000000;

  /** A system call by name and its number on each architecture (-1: the architecture has no such call). */
  record Syscall(String name, int x86_64, int aarch64) {}

  /** Denied outright with {@code EPERM}. */
  static final List<Syscall> DENIED = List.of(
      new Syscall("ptrace", 101, 117),
      new Syscall("process_vm_readv", 310, 270),
      new Syscall("process_vm_writev", 311, 271),
      new Syscall("kcmp", 312, 272),
      new Syscall("mount", 165, 40),
      new Syscall("umount2", 166, 39),
      new Syscall("pivot_root", 155, 41),
      new Syscall("chroot", 161, 51),
      new Syscall("open_tree", 428, 428),
      new Syscall("move_mount", 429, 429),
      new Syscall("fsopen", 430, 430),
      new Syscall("fsconfig", 431, 431),
      new Syscall("fsmount", 432, 432),
      new Syscall("fspick", 433, 433),
      new Syscall("mount_setattr", 442, 442),
      new Syscall("open_by_handle_at", 304, 265),
      new Syscall("name_to_handle_at", 303, 264),
      new Syscall("unshare", 272, 97),
      new Syscall("setns", 308, 268),
      new Syscall("bpf", 321, 280),
      new Syscall("perf_event_open", 298, 241),
      new Syscall("userfaultfd", 323, 282),
      new Syscall("keyctl", 250, 219),
      new Syscall("add_key", 248, 217),
      new Syscall("request_key", 249, 218),
      new Syscall("io_uring_setup", 425, 425),
      new Syscall("io_uring_enter", 426, 426),
      new Syscall("io_uring_register", 427, 427),
      new Syscall("kexec_load", 246, 104),
      new Syscall("kexec_file_load", 320, 294),
      new Syscall("init_module", 175, 105),
      new Syscall("finit_module", 313, 273),
      new Syscall("delete_module", 176, 106),
      new Syscall("reboot", 169, 142),
      new Syscall("swapon", 167, 224),
      new Syscall("swapoff", 168, 225),
      new Syscall("acct", 163, 89),
      new Syscall("quotactl", 179, 60),
      new Syscall("syslog", 103, 116),
      new Syscall("settimeofday", 164, 170),
      new Syscall("clock_settime", 227, 112),
      new Syscall("clock_adjtime", 305, 266),
      new Syscall("adjtimex", 159, 171),
      new Syscall("vhangup", 153, 58),
      new Syscall("lookup_dcookie", 212, 18),
      new Syscall("pidfd_getfd", 438, 438),
      new Syscall("iopl", 172, -1),
      new Syscall("ioperm", 173, -1),
      new Syscall("uselib", 134, -1),
      new Syscall("ustat", 136, -1),
      new Syscall("sysfs", 139, -1),
      new Syscall("_sysctl", 156, -1));
  /** Denied when their flags ask for a new namespace. */
  static final Syscall CLONE = new Syscall("clone", 56, 220);
  /** Denied with {@code ENOSYS}: its flags sit in memory the filter cannot read; the C library falls back to clone. */
  static final Syscall CLONE3 = new Syscall("clone3", 435, 435);
  /** Denied unless their first argument (the address family) is {@code AF_UNIX}. */
  static final List<Syscall> UNIX_SOCKETS_ONLY = List.of(new Syscall("socket", 41, 198), new Syscall("socketpair", 53, 199));

  private static final short LD_W_ABS = 0x20;
  private static final short JEQ_K = 0x15;
  private static final short JGE_K = 0x35;
  private static final short JSET_K = 0x45;
  private static final short RET_K = 0x06;
  private static final int RET_KILL_PROCESS = 0x80000000;
  private static final int RET_ERRNO = 0x00050000;
  private static final int RET_ALLOW = 0x7fff0000;
  private static final int OFFSET_NR = 0;
  private static final int OFFSET_ARCH = 4;
  /** The low 32 bits of {@code args[0]} (both architectures are little-endian). */
  private static final int OFFSET_ARG0_LOW = 16;

  private SeccompFilter() {}

  /** The program as bubblewrap reads it: {@code struct sock_filter} entries in native (little-endian) order. */
  static byte[] program() {
    Assembler a = new Assembler();
    a.load(OFFSET_ARCH);
    a.jumpIfEqual(AUDIT_ARCH_X86_64, "x86_64", null);
    a.jumpIfEqual(AUDIT_ARCH_AARCH64, "aarch64", null);
    a.ret(RET_KILL_PROCESS);
    architecture(a, "x86_64", true);
    architecture(a, "aarch64", false);
    return a.assemble();
  }

  /** One architecture's table: its own returns, so that every jump stays short. */
  private static void architecture(Assembler a, String arch, boolean x86) {
    a.label(arch);
    a.load(OFFSET_NR);
    if (x86) {
      a.jumpIfAtLeast(X32_SYSCALL_BIT, arch + ":kill", null);
    }
    for (Syscall s : DENIED) {
      int nr = x86 ? s.x86_64() : s.aarch64();
      if (nr >= 0) {
        a.jumpIfEqual(nr, arch + ":eperm", null);
      }
    }
    a.jumpIfEqual(x86 ? CLONE3.x86_64() : CLONE3.aarch64(), arch + ":enosys", null);
    a.jumpIfEqual(x86 ? CLONE.x86_64() : CLONE.aarch64(), arch + ":clone", null);
    for (Syscall s : UNIX_SOCKETS_ONLY) {
      a.jumpIfEqual(x86 ? s.x86_64() : s.aarch64(), arch + ":socket", null);
    }
    a.ret(RET_ALLOW);
    a.label(arch + ":clone");
    a.load(OFFSET_ARG0_LOW);
    a.jumpIfAnyBit(CLONE_NAMESPACE_FLAGS, arch + ":eperm", null);
    a.ret(RET_ALLOW);
    a.label(arch + ":socket");
    a.load(OFFSET_ARG0_LOW);
    a.jumpIfEqual(AF_UNIX, null, arch + ":eperm");
    a.ret(RET_ALLOW);
    a.label(arch + ":eperm");
    a.ret(RET_ERRNO | EPERM);
    a.label(arch + ":enosys");
    a.ret(RET_ERRNO | ENOSYS);
    a.label(arch + ":kill");
    a.ret(RET_KILL_PROCESS);
  }

  /** Classic BPF with named jump targets, resolved to the 8-bit relative offsets BPF wants. */
  private static final class Assembler {
    private record Insn(short code, String jt, String jf, int k) {}

    private final List<Insn> insns = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    void label(String name) {
      if (labels.put(name, insns.size()) != null) {
        throw new IllegalStateException("label defined twice: " + name);
      }
    }

    void load(int offset) {
      insns.add(new Insn(LD_W_ABS, null, null, offset));
    }

    /** Jumps to {@code jt} when the accumulator equals {@code k}, else to {@code jf}; null is the next instruction. */
    void jumpIfEqual(int k, String jt, String jf) {
      insns.add(new Insn(JEQ_K, jt, jf, k));
    }

    void jumpIfAtLeast(int k, String jt, String jf) {
      insns.add(new Insn(JGE_K, jt, jf, k));
    }

    void jumpIfAnyBit(int k, String jt, String jf) {
      insns.add(new Insn(JSET_K, jt, jf, k));
    }

    void ret(int k) {
      insns.add(new Insn(RET_K, null, null, k));
    }

    byte[] assemble() {
      ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < insns.size(); i++) {
        Insn in = insns.get(i);
        out.putShort(in.code());
        out.put(offset(i, in.jt()));
        out.put(offset(i, in.jf()));
        out.putInt(in.k());
      }
      return out.array();
    }

    private byte offset(int from, String label) {
      if (label == null) {
        return 0;
      }
      Integer to = labels.get(label);
      if (to == null) {
        throw new IllegalStateException("no label " + label);
      }
      int off = to - from - 1;
      if (off < 0 || off > 255) {
        throw new IllegalStateException("jump from " + from + " to " + label + " is out of BPF's range: " + off);
      }
      return (byte) off;
    }
  }
}
