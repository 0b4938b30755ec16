package dev.codemode.runtime.vfs;

import dev.codemode.policies.Printable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The file operations the guest's {@code fs} API calls through the bridge, as JSON in and JSON
 * out. Text crosses as a JSON string (UTF-8, malformed bytes replaced), bytes as
 * {@code {"encoding":"base64","data":"..."}}.
 *
 * <ul>
 *   <li>{@code readFile {path, encoding?: "utf8"}} → string, or the base64 object without encoding
 *   <li>{@code writeFile {path, data, flag?: "w"|"wx"|"a"}} and {@code appendFile {path, data}} → null
 *   <li>{@code readdir {path, withFileTypes?}} → names, or {@code [{name, isFile, isDirectory}]}
 *   <li>{@code stat {path}} → {@code {size, isFile, isDirectory, mtimeMs}}
 *   <li>{@code mkdir {path, recursive?}} → the first folder created, or null
 *   <li>{@code rm {path, recursive?, force?}} → null
 * </ul>
 */
public final class FsOps {
  /** The operation names, an allowlist. */
  public static final Set<String> OPERATIONS =
      Set.of("readFile", "writeFile", "appendFile", "readdir", "stat", "mkdir", "rm");

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final VirtualFiles files;
  private final long maxReadBytes;

  /** {@code maxReadBytes} caps one readFile. */
  public FsOps(VirtualFiles files, long maxReadBytes) {
    this.files = files;
    this.maxReadBytes = maxReadBytes;
  }

  /** Runs one operation; every failure is an {@link FsException} with a Node error code. */
  public JsonNode invoke(String op, JsonNode args) throws FsException {
    if (op == null || !OPERATIONS.contains(op)) {
      throw new FsException("EINVAL", "EINVAL: unknown fs operation '" + Printable.of(op) + "'");
    }
    if (args == null || !args.isObject()) {
      throw new FsException("EINVAL", "EINVAL: " + op + " expects an object of arguments");
    }
    String path = text(op, args, "path");
    switch (op) {
      case "readFile": {
        String encoding = optionalText(op, args, "encoding");
        boolean text = encoding != null && (encoding.equals("utf8") || encoding.equals("utf-8"));
        if (encoding != null && !text) {
          throw new FsException("EINVAL", "EINVAL: readFile encoding must be 'utf8' or absent");
        }
        byte[] data = files.readFile(path, maxReadBytes);
        return text ? TextNode.valueOf(new String(data, StandardCharsets.UTF_8)) : binary(data);
      }
      case "writeFile": {
        String flag = optionalText(op, args, "flag");
        WriteMode mode;
        if (flag == null || flag.equals("w")) {
          mode = WriteMode.TRUNCATE;
        } else if (flag.equals("wx")) {
          mode = WriteMode.EXCLUSIVE;
        } else if (flag.equals("a")) {
          mode = WriteMode.APPEND;
        } else {
          throw new FsException("EINVAL", "EINVAL: writeFile flag must be 'w', 'wx' or 'a'");
        }
        files.writeFile(path, data(op, args), mode);
        return NullNode.getInstance();
      }
      case "appendFile":
        files.writeFile(path, data(op, args), WriteMode.APPEND);
        return NullNode.getInstance();
      case "readdir": {
        boolean withTypes = flag(op, args, "withFileTypes");
        ArrayNode out = JSON.arrayNode();
        for (DirEntry e : files.readdir(path)) {
          if (withTypes) {
            out.addObject()
                .put("name", e.name())
                .put("isFile", e.kind() == NodeKind.FILE)
                .put("isDirectory", e.kind() == NodeKind.DIRECTORY);
          } else {
            out.add(e.name());
          }
        }
        return out;
      }
      case "stat": {
        FileStat s = files.stat(path);
        return JSON.objectNode()
            .put("size", s.size())
            .put("isFile", s.kind() == NodeKind.FILE)
            .put("isDirectory", s.kind() == NodeKind.DIRECTORY)
            .put("mtimeMs", s.mtimeMs());
      }
      case "mkdir": {
        String first = files.mkdir(path, flag(op, args, "recursive"));
        return first == null ? NullNode.getInstance() : TextNode.valueOf(first);
      }
      case "rm":
        files.rm(path, flag(op, args, "recursive"), flag(op, args, "force"));
        return NullNode.getInstance();
      default:
        throw new IllegalStateException("operation allowlisted but not handled: " + op);
    }
  }

  private static ObjectNode binary(byte[] data) {
    return JSON.objectNode().put("encoding", "base64").put("data", Base64.getEncoder().encodeToString(data));
  }

  private static byte[] data(String op, JsonNode args) throws FsException {
    JsonNode data = args.get("data");
    if (data != null && data.isTextual()) {
      return data.textValue().getBytes(StandardCharsets.UTF_8);
    }
    if (data != null && data.isObject() && data.size() == 2
        && "base64".equals(data.path("encoding").textValue()) && data.path("data").isTextual()) {
      try {
        return Base64.getDecoder().decode(data.get("data").textValue());
      } catch (IllegalArgumentException e) {
        throw new FsException("EINVAL", "EINVAL: " + op + " data is not valid base64");
      }
    }
    throw new FsException("EINVAL", "EINVAL: " + op + " data must be a string or {encoding: 'base64', data}");
  }

  private static String text(String op, JsonNode args, String name) throws FsException {
    JsonNode v = args.get(name);
    if (v == null || !v.isTextual()) {
      throw new FsException("EINVAL", "EINVAL: " + op + " needs '" + name + "' as a string");
    }
    return v.textValue();
  }

  private static String optionalText(String op, JsonNode args, String name) throws FsException {
    JsonNode v = args.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new FsException("EINVAL", "EINVAL: " + op + " option '" + name + "' must be a string");
    }
    return v.textValue();
  }

  private static boolean flag(String op, JsonNode args, String name) throws FsException {
    JsonNode v = args.get(name);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new FsException("EINVAL", "EINVAL: " + op + " option '" + name + "' must be a boolean");
    }
    return v.booleanValue();
  }
}
