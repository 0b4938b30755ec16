package dev.codemode.runtime.vfs;

import dev.codemode.policies.fs.VirtualPath;
import dev.codemode.runtime.DenialRule;

/** Records a policy denial in the run's journal and makes the exception the guest receives. */
@FunctionalInterface
interface Denier {
  FsException deny(DenialRule rule, String code, String syscall, VirtualPath path, String reason);
}
