/*
 * Runs inside a worker's jail (never outside it) and prints one line per probe: "<name> ok" or
 * "<name> <errno name>". Each denied call is made so that, were it allowed, it would fail harmlessly
 * with another error (a missing target, a bad pointer, an invalid flag) or do nothing lasting.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *name, long rc) {
  if (rc >= 0) {
    printf("%s ok\n", name);
  } else {
    printf("%s %s\n", name, errno == EPERM ? "EPERM" : errno == ENOSYS ? "ENOSYS" : strerrorname_np(errno));
  }
  fflush(stdout);
}

/* A clone that, were it allowed, leaves at once. */
static long clone_and_leave(unsigned long flags) {
  long rc = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
  if (rc == 0) {
    _exit(0);
  }
  if (rc > 0) {
    waitpid((pid_t) rc, 0, 0);
  }
  return rc;
}

static void *thread_body(void *arg) { return arg; }

int main(int argc, char **argv) {
  report("ptrace", syscall(SYS_ptrace, 12 /* PTRACE_GETREGS */, -1, 0, 0));
  report("mount", syscall(SYS_mount, "none", "/nonexistent-codemode-probe", "tmpfs", 0, 0));
  report("umount2", syscall(SYS_umount2, "/nonexistent-codemode-probe", 0));
  report("bpf", syscall(SYS_bpf, -1, 0, 0));
  report("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -1, 0));
  report("add_key", syscall(SYS_add_key, "user", "k", "v", 1, 0));
  report("request_key", syscall(SYS_request_key, "user", "codemode-probe-none", 0, 0));
  report("userfaultfd", syscall(SYS_userfaultfd, 0));
  report("perf_event_open", syscall(SYS_perf_event_open, 0, 0, -1, -1, 0));
  report("io_uring_setup", syscall(SYS_io_uring_setup, 1, 0));
  report("io_uring_enter", syscall(SYS_io_uring_enter, -1, 0, 0, 0, 0, 0));
  report("io_uring_register", syscall(SYS_io_uring_register, -1, 0, 0, 0));
  report("unshare", syscall(SYS_unshare, 0x1 /* not a valid unshare flag */));
  report("setns", syscall(SYS_setns, -1, CLONE_NEWNET));
  report("clone_newuser", clone_and_leave(CLONE_NEWUSER));
  report("clone_newns", clone_and_leave(CLONE_NEWNS));
  report("clone_newnet", clone_and_leave(CLONE_NEWNET));
  report("clone_newpid", clone_and_leave(CLONE_NEWPID));
  report("clone3", syscall(SYS_clone3, 0, 0));
  report("socket_inet", syscall(SYS_socket, AF_INET, SOCK_STREAM, 0));
  report("socket_inet6", syscall(SYS_socket, AF_INET6, SOCK_DGRAM, 0));
  report("socket_netlink", syscall(SYS_socket, AF_NETLINK, SOCK_RAW, 0));
  report("socket_packet", syscall(SYS_socket, AF_PACKET, SOCK_RAW, 0));
  report("socket_vsock", syscall(SYS_socket, 40 /* AF_VSOCK */, SOCK_STREAM, 0));
  int sv[2];
  report("socketpair_inet", syscall(SYS_socketpair, AF_INET, SOCK_STREAM, 0, sv));
  /* What the JVM needs keeps working. */
  report("socket_unix", syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0));
  report("socketpair_unix", syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv));
  pthread_t t;
  int rc = pthread_create(&t, 0, thread_body, 0);
  if (rc == 0) {
    pthread_join(t, 0);
  }
  errno = rc;
  report("thread", rc == 0 ? 0 : -1);
  pid_t child = fork();
  if (child == 0) {
    _exit(0);
  }
  if (child > 0) {
    waitpid(child, 0, 0);
  }
  report("fork", child);
  /* The fork limit: fork children that wait until one fork fails, then count them. */
  if (argc > 1 && strcmp(argv[1], "forks") == 0) {
    int n = 0;
    int max = 100000;
    for (; n < max; n++) {
      pid_t p = fork();
      if (p == 0) {
        pause();
        _exit(0);
      }
      if (p < 0) {
        break;
      }
    }
    printf("forks %d %s\n", n, n < max ? strerrorname_np(errno) : "none");
    fflush(stdout);
    kill(0, SIGKILL);
  }
  return 0;
}
