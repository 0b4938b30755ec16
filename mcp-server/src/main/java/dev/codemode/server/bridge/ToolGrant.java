package dev.codemode.server.bridge;

import dev.codemode.policies.Profile;
import dev.codemode.policies.tools.ToolAllowlist;
import dev.codemode.server.approval.Approver;
import java.util.List;

/**
 * What one run may do with downstream tools, compiled at admission: its allowlist ({@code tools.allow}
 * narrowed by the call's {@code allowed_tools}), which tools need a person's approval, and who approves.
 */
public record ToolGrant(ToolAllowlist allowed, ToolAllowlist needApproval, Approver approver) {
  /**
   * The grant of a run under {@code profile} narrowed by {@code allowedTools} (null for none).
   *
   * @throws IllegalArgumentException naming the first invalid pattern
   */
  public static ToolGrant of(Profile profile, List<String> allowedTools, Approver approver) {
    return new ToolGrant(ToolAllowlist.effective(profile.tools().allow(), allowedTools),
        ToolAllowlist.of(profile.tools().requireApproval()), approver);
  }
}
