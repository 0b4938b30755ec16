/**
 * Pure path rules of the guest's file system: parsing and lexical normalization of virtual paths
 * ({@link dev.codemode.policies.fs.VirtualPath}; a backslash is rejected, never a separator) and
 * segment-wise deny globs ({@link dev.codemode.policies.fs.GlobPattern}).
 */
package dev.codemode.policies.fs;
