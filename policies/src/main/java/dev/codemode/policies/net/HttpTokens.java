package dev.codemode.policies.net;

/** RFC 9110 token and field-value checks shared by rule validation and the egress proxy. */
public final class HttpTokens {
  private HttpTokens() {}

  /** Whether {@code s} is a non-empty RFC 9110 token (a valid header name or method). */
  public static boolean isToken(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s} may be sent as a header value: no NUL, CR, LF or other control character but tab, nothing beyond Latin-1. */
  public static boolean isSafeValue(String s) {
    if (s == null) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        return false;
      }
    }
    return true;
  }
}
