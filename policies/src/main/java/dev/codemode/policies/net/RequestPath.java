package dev.codemode.policies.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A URL path decoded once into segments, for matching path globs.
 *
 * <p>Refused (so that the proxy and the origin server cannot read a path differently): a path not
 * starting with {@code /}; {@code .} and {@code ..} segments, also percent-encoded; encoded {@code /}
 * and {@code \} ({@code %2f}, {@code %5c}); raw {@code \}; {@code ;} path parameters (servers such as
 * Tomcat strip them before routing); double percent-encoding ({@code %252f}); empty segments other
 * than a trailing one; bad percent-encoding; bad UTF-8; control characters; raw non-ASCII (callers
 * percent-encode it first). The decoded path is {@code /} + segments joined by {@code /}; a trailing
 * {@code /} is an empty last segment.
 *
 * @param raw the path as sent to the server (still percent-encoded)
 * @param segments the decoded segments
 */
public record RequestPath(String raw, List<String> segments) {
  public RequestPath {
    segments = List.copyOf(segments);
  }

  /** The decoded path, e.g. {@code /v1/files}. */
  public String decoded() {
    return "/" + String.join("/", segments);
  }

  /**
   * Parses a raw (percent-encoded) path; null or empty is {@code /}.
   *
   * @throws IllegalArgumentException naming why the path is refused
   */
  public static RequestPath parse(String raw) {
    String path = raw == null || raw.isEmpty() ? "/" : raw;
    if (path.charAt(0) != '/') {
      throw new IllegalArgumentException("path does not start with '/'");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\') {
        throw new IllegalArgumentException("path contains a backslash");
      }
      if (c == ';') {
        throw new IllegalArgumentException("path contains ';' (path parameters are not allowed)");
      }
      if (c <= 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("path contains whitespace or a control character");
      }
      if (c > 0x7e) {
        throw new IllegalArgumentException("path contains a non-ASCII character (percent-encode it)");
      }
    }
    String[] rawSegments = path.substring(1).split("/", -1);
    List<String> segments = new ArrayList<>(rawSegments.length);
    for (int i = 0; i < rawSegments.length; i++) {
      String segment = decode(rawSegments[i]);
      if (segment.isEmpty() && i < rawSegments.length - 1) {
        throw new IllegalArgumentException("path contains an empty segment ('//')");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("path contains a '" + segment + "' segment");
      }
      segments.add(segment);
    }
    return new RequestPath(path, segments);
  }

  private static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c != '%') {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        continue;
      }
      if (i + 2 >= segment.length()) {
        throw new IllegalArgumentException("path contains a truncated percent-encoding");
      }
      int hi = Character.digit(segment.charAt(i + 1), 16);
      int lo = Character.digit(segment.charAt(i + 2), 16);
      if (hi < 0 || lo < 0 || segment.charAt(i + 1) > 'f' || segment.charAt(i + 2) > 'f') {
        throw new IllegalArgumentException("path contains an invalid percent-encoding");
      }
      int b = (hi << 4) | lo;
      if (b == '/' || b == '\\') {
        throw new IllegalArgumentException("path contains an encoded slash or backslash (%2f, %5c)");
      }
      if (b < 0x20 || b == 0x7f) {
        throw new IllegalArgumentException("path contains an encoded control character");
      }
      if (b == ';') {
        throw new IllegalArgumentException("path contains an encoded ';'");
      }
      bytes.write(b);
      i += 2;
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("path contains percent-encoded bytes that are not UTF-8");
    }
    // A server that decodes twice would see what a second pass yields, so %25XX is refused outright.
    for (int i = 0; i + 2 < decoded.length(); i++) {
      if (decoded.charAt(i) == '%' && Character.digit(decoded.charAt(i + 1), 16) >= 0
          && Character.digit(decoded.charAt(i + 2), 16) >= 0) {
        throw new IllegalArgumentException("path contains double percent-encoding (%25XX)");
      }
    }
    return decoded;
  }
}
