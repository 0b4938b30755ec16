package dev.codemode.policies.net;

import dev.codemode.policies.EgressRuleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a request may go out: the {@link ExfilDenyList} first, then the first matching deny
 * rule, then any allow rule that matches in every part. Nothing matches: denied.
 */
public final class EgressMatcher {
  private final List<EgressRule> allow;
  private final List<EgressRule> deny;

  /** A matcher over compiled rules. */
  public EgressMatcher(List<EgressRule> allow, List<EgressRule> deny) {
    this.allow = List.copyOf(allow);
    this.deny = List.copyOf(deny);
    for (EgressRule rule : this.allow) {
      if (rule.isDeny()) {
        throw new IllegalArgumentException(rule.describe() + " is a deny rule in the allow list");
      }
    }
    for (EgressRule rule : this.deny) {
      if (!rule.isDeny()) {
        throw new IllegalArgumentException(rule.describe() + " is an allow rule in the deny list");
      }
    }
  }

  /**
   * Compiles configured rules, numbering them from 1 in list order.
   *
   * @throws IllegalArgumentException naming the first bad rule
   */
  public static EgressMatcher compile(List<EgressRuleSpec> allow, List<EgressRuleSpec> deny) {
    List<EgressRule> a = new ArrayList<>();
    for (int i = 0; i < allow.size(); i++) {
      a.add(EgressRule.allow(allow.get(i), i + 1));
    }
    List<EgressRule> d = new ArrayList<>();
    for (int i = 0; i < deny.size(); i++) {
      d.add(EgressRule.deny(deny.get(i), i + 1));
    }
    return new EgressMatcher(a, d);
  }

  /** The verdict for a parsed request. */
  public Verdict check(EgressTarget target) {
    Optional<Verdict> exfil = ExfilDenyList.check(target);
    if (exfil.isPresent()) {
      return exfil.get();
    }
    for (EgressRule rule : deny) {
      if (rule.mismatch(target) == null) {
        return Verdict.deny(rule, rule.describe());
      }
    }
    List<String> misses = new ArrayList<>();
    for (EgressRule rule : allow) {
      if (!rule.matchesHost(target.host())) {
        continue;
      }
      String miss = rule.mismatch(target);
      if (miss == null) {
        return Verdict.allow(rule);
      }
      misses.add(rule.describe() + ": " + miss);
    }
    if (misses.isEmpty()) {
      return Verdict.deny(null, "no allow rule matches host '" + target.host().text() + "'");
    }
    return Verdict.deny(null, String.join("; ", misses));
  }

  /** The verdict for a URL and method; a URL that cannot be parsed or canonicalized is denied. */
  public Verdict check(String url, String method) {
    String m;
    try {
      m = EgressTarget.normalizeMethod(method);
    } catch (IllegalArgumentException e) {
      return Verdict.deny(null, e.getMessage());
    }
    EgressTarget target;
    try {
      target = EgressTarget.parse(url, m);
    } catch (IllegalArgumentException e) {
      return Verdict.deny(null, "refused URL: " + e.getMessage());
    }
    return check(target);
  }

  public List<EgressRule> allowRules() {
    return allow;
  }

  public List<EgressRule> denyRules() {
    return deny;
  }
}
