package dev.codemode.server.pii;

import dev.codemode.policies.ops.PiiPattern;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds emails, phone numbers, payment card numbers (Luhn-checked), IBANs (mod-97 checked) and configured
 * patterns in text. Overlaps are resolved by position, then by length: the earliest, longest match wins.
 */
public final class PiiDetector {
  private static final Pattern EMAIL = Pattern.compile(
      "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])");
  // 13-19 digits, optionally grouped by single spaces or dashes; not part of a longer digit run.
  private static final Pattern CARD = Pattern.compile("(?<![0-9A-Za-z])\\d(?:[ -]?\\d){12,18}(?![0-9A-Za-z])");
  private static final Pattern IBAN = Pattern.compile(
      "(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])");
  // International (+CC) or a national number with at least 9 digits and a separator-shaped layout.
  private static final Pattern PHONE = Pattern.compile(
      "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){1,4}"
          + "|\\(\\d{2,4}\\)[ .-]?\\d{3,4}[ .-]?\\d{3,4}"
          + "|\\d{3}[.-]\\d{3}[.-]\\d{4})(?![\\w])");
  private final Map<String, Pattern> custom = new LinkedHashMap<>();

  public PiiDetector(List<PiiPattern> patterns) {
    for (PiiPattern p : patterns) {
      custom.put(p.name(), Pattern.compile(p.regex()));
    }
  }

  /** Every match in {@code text}, in order, without overlaps. */
  public List<PiiMatch> find(String text) {
    List<PiiMatch> all = new ArrayList<>();
    // Regex scanning costs per character; most strings hold no '@' and no digit, so the built-ins skip them.
    if (text.indexOf('@') >= 0) {
      collect(all, "EMAIL", EMAIL, text);
    }
    if (hasDigit(text)) {
      builtInNumbers(all, text);
    }
    custom.forEach((label, p) -> collect(all, label, p, text));
    all.sort(Comparator.comparingInt(PiiMatch::start).thenComparing(Comparator.comparingInt((PiiMatch x) -> x.end()).reversed()));
    List<PiiMatch> out = new ArrayList<>();
    int covered = 0;
    for (PiiMatch m : all) {
      if (m.start() >= covered) {
        out.add(m);
        covered = m.end();
      }
    }
    return out;
  }

  private static boolean hasDigit(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  private static void builtInNumbers(List<PiiMatch> all, String text) {
    for (Matcher m = IBAN.matcher(text); m.find(); ) {
      // A spaced IBAN followed by a short word ("… 3000 AND") over-matches: drop trailing groups until it checks.
      String candidate = m.group();
      while (!Checks.ibanValid(candidate) && candidate.lastIndexOf(' ') > 4) {
        candidate = candidate.substring(0, candidate.lastIndexOf(' '));
      }
      if (Checks.ibanValid(candidate)) {
        all.add(new PiiMatch("IBAN", m.start(), m.start() + candidate.length(), candidate));
      }
    }
    for (Matcher m = CARD.matcher(text); m.find(); ) {
      if (Checks.luhnValid(m.group()) && Checks.cardNetwork(Checks.digits(m.group()))) {
        all.add(new PiiMatch("CARD", m.start(), m.end(), m.group()));
      }
    }
    for (Matcher m = PHONE.matcher(text); m.find(); ) {
      int digits = Checks.digits(m.group()).length();
      if (digits >= 9 && digits <= 15) {
        all.add(new PiiMatch("PHONE", m.start(), m.end(), m.group()));
      }
    }
  }

  private static void collect(List<PiiMatch> into, String label, Pattern p, String text) {
    for (Matcher m = p.matcher(text); m.find(); ) {
      if (m.end() > m.start()) {
        into.add(new PiiMatch(label, m.start(), m.end(), m.group()));
      }
    }
  }

  /** Checksums that tell real card numbers and IBANs from look-alike digit runs. */
  static final class Checks {
    private Checks() {}

    static String digits(String s) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        if (Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
          sb.append(s.charAt(i));
        }
      }
      return sb.toString();
    }

    static boolean luhnValid(String number) {
      String d = digits(number);
      if (d.length() < 13 || d.length() > 19 || d.chars().distinct().count() == 1) {
        return false;
      }
      int sum = 0;
      boolean dbl = false;
      for (int i = d.length() - 1; i >= 0; i--) {
        int n = d.charAt(i) - '0';
        if (dbl) {
          n *= 2;
          if (n > 9) {
            n -= 9;
          }
        }
        sum += n;
        dbl = !dbl;
      }
      return sum % 10 == 0;
    }

    /** Whether the number's prefix and length fit a card network (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay). */
    static boolean cardNetwork(String d) {
      int len = d.length();
      int p2 = Integer.parseInt(d.substring(0, 2));
      int p3 = Integer.parseInt(d.substring(0, 3));
      int p4 = Integer.parseInt(d.substring(0, 4));
      boolean long16to19 = len >= 16 && len <= 19;
      return (d.charAt(0) == '4' && (len == 13 || len == 16 || len == 19))
          || (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && len == 16)
          || ((p2 == 34 || p2 == 37) && len == 15)
          || ((p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) && long16to19)
          || (((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) && len >= 14 && len <= 19)
          || (p4 >= 3528 && p4 <= 3589 && long16to19)
          || (p2 == 62 && long16to19);
    }

    static boolean ibanValid(String iban) {
      String s = iban.replace(" ", "");
      if (s.length() < 15 || s.length() > 34) {
        return false;
      }
      String rearranged = s.substring(4) + s.substring(0, 4);
      int mod = 0;
      for (int i = 0; i < rearranged.length(); i++) {
        char c = rearranged.charAt(i);
        int v;
        if (c >= '0' && c <= '9') {
          v = c - '0';
        } else if (c >= 'A' && c <= 'Z') {
          v = c - 'A' + 10;
        } else {
          return false;
        }
        mod = v < 10 ? (mod * 10 + v) % 97 : (mod * 100 + v) % 97;
      }
      return mod == 1;
    }
  }
}
