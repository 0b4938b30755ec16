/**
 * The guest's virtual file system for one run. {@link dev.codemode.runtime.vfs.VirtualFiles} holds
 * the mounts and applies the policy; {@link dev.codemode.runtime.vfs.FsOps} is its JSON face for
 * the bridge (used by {@code js/fs.js}); {@link dev.codemode.runtime.vfs.SandboxFileSystem} is its
 * read-only face for GraalJS module loading. The root lists only mount points; anything else
 * outside the mounts is refused as "outside every mount".
 */
package dev.codemode.runtime.vfs;
