package dev.codemode.policies.config;

import dev.codemode.policies.config.RawConfig.RawFs;
import dev.codemode.policies.config.RawConfig.RawLogging;
import dev.codemode.policies.config.RawConfig.RawNet;
import dev.codemode.policies.config.RawConfig.RawProc;
import dev.codemode.policies.config.RawConfig.RawProfile;
import dev.codemode.policies.config.RawConfig.RawRuntime;
import dev.codemode.policies.config.RawConfig.RawTools;

/**
 * Merges a profile over its parent: a key the child names replaces the parent's value; a key it leaves
 * out is inherited. Lists and maps are replaced whole, never appended (SANDBOX.md, "Profile merge rules").
 */
final class ProfileMerger {
  private ProfileMerger() {}

  static RawProfile merge(RawProfile parent, RawProfile child) {
    if (child == null) {
      return parent;
    }
    if (parent == null) {
      return child;
    }
    return new RawProfile(fs(parent.fs(), child.fs()), net(parent.net(), child.net()), proc(parent.proc(), child.proc()),
        tools(parent.tools(), child.tools()), logging(parent.logging(), child.logging()));
  }

  static RawRuntime runtime(RawRuntime p, RawRuntime c) {
    if (c == null || p == null) {
      return c == null ? p : c;
    }
    return new RawRuntime(pick(p.isolation(), c.isolation()), pick(p.jail(), c.jail()),
        pick(p.maxConcurrentRuns(), c.maxConcurrentRuns()), pick(p.queueCapacity(), c.queueCapacity()),
        pick(p.workerPoolSize(), c.workerPoolSize()), pick(p.workerMaxRuns(), c.workerMaxRuns()),
        pick(p.jit(), c.jit()));
  }

  private static RawFs fs(RawFs p, RawFs c) {
    if (c == null || p == null) {
      return c == null ? p : c;
    }
    return new RawFs(pick(p.mounts(), c.mounts()), pick(p.denyGlobs(), c.denyGlobs()), pick(p.maxBytes(), c.maxBytes()),
        pick(p.maxFiles(), c.maxFiles()), pick(p.dropBuiltinDenyGlobs(), c.dropBuiltinDenyGlobs()));
  }

  private static RawNet net(RawNet p, RawNet c) {
    if (c == null || p == null) {
      return c == null ? p : c;
    }
    return new RawNet(pick(p.enabled(), c.enabled()), pick(p.allow(), c.allow()), pick(p.deny(), c.deny()),
        pick(p.resolve(), c.resolve()), pick(p.maxRequests(), c.maxRequests()),
        pick(p.maxRequestBytes(), c.maxRequestBytes()), pick(p.maxResponseBytes(), c.maxResponseBytes()),
        pick(p.timeoutMs(), c.timeoutMs()), pick(p.ratePerSecond(), c.ratePerSecond()),
        pick(p.upstreamProxy(), c.upstreamProxy()));
  }

  private static RawProc proc(RawProc p, RawProc c) {
    if (c == null || p == null) {
      return c == null ? p : c;
    }
    return new RawProc(pick(p.wallMs(), c.wallMs()), pick(p.cpuMs(), c.cpuMs()), pick(p.memMb(), c.memMb()),
        pick(p.maxOutputBytes(), c.maxOutputBytes()), pick(p.maxResultBytes(), c.maxResultBytes()),
        pick(p.maxStatements(), c.maxStatements()), pick(p.maxStackFrames(), c.maxStackFrames()),
        pick(p.maxAstDepth(), c.maxAstDepth()), pick(p.hostMs(), c.hostMs()));
  }

  private static RawTools tools(RawTools p, RawTools c) {
    if (c == null || p == null) {
      return c == null ? p : c;
    }
    return new RawTools(pick(p.allow(), c.allow()), pick(p.requireApproval(), c.requireApproval()));
  }

  private static RawLogging logging(RawLogging p, RawLogging c) {
    if (c == null || p == null) {
      return c == null ? p : c;
    }
    return new RawLogging(pick(p.sampleRatio(), c.sampleRatio()), pick(p.redactPii(), c.redactPii()));
  }

  private static <T> T pick(T parent, T child) {
    return child != null ? child : parent;
  }
}
