package dev.codemode.policies.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.codemode.policies.CodemodeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Loads codemode YAML configuration strictly: unknown keys and bad values are errors with file, line and key path. */
public final class ConfigLoader {
  /** The name configuration errors use for the embedded default. */
  public static final String EMBEDDED = "<embedded default>";
  private static final ObjectMapper YAML = strictMapper();
  private static final RawConfig BASE = bindEmbedded();

  private ConfigLoader() {}

  /** The embedded default: deny-all network, ephemeral workspace, no downstream servers. */
  public static CodemodeConfig loadDefault() {
    return parse(embeddedText(), EMBEDDED, Path.of("").toAbsolutePath());
  }

  /** Loads {@code file}, merged over the embedded default; relative mount sources resolve against its folder. */
  public static CodemodeConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), 0, "", "cannot read the file (" + e.getClass().getSimpleName() + ")");
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), dir == null ? Path.of("/") : dir);
  }

  /** Parses {@code yaml} (named {@code source} in errors), merged over the embedded default. */
  public static CodemodeConfig parse(String yaml, String source, Path baseDir) {
    Objects.requireNonNull(yaml, "yaml");
    LineIndex lines;
    try {
      lines = new LineIndex(yaml);
    } catch (IOException e) {
      throw syntaxError(source, e);
    }
    List<ConfigException> unknownKeys = new ArrayList<>();
    RawConfig raw;
    try {
      raw = isEmptyDocument(yaml, source) ? null : bind(yaml, source, lines, unknownKeys);
    } catch (ConfigException e) {
      // A value that cannot be bound stops binding; the unknown keys seen before it are reported with it.
      unknownKeys.addAll(e.errors());
      throw ConfigException.all(unknownKeys);
    }
    if (raw == null) {
      raw = new RawConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
    CodemodeConfig config;
    try {
      config = new ConfigValidator(source, lines, baseDir).validate(BASE, raw);
    } catch (ConfigException e) {
      unknownKeys.addAll(e.errors());
      throw ConfigException.all(unknownKeys);
    }
    if (!unknownKeys.isEmpty()) {
      throw ConfigException.all(unknownKeys);
    }
    return config;
  }

  private static boolean isEmptyDocument(String yaml, String source) {
    try {
      JsonNode tree = YAML.readTree(yaml);
      return tree == null || tree.isMissingNode() || tree.isNull();
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e);
    }
  }

  /** Binds {@code yaml}; each unknown key is added to {@code unknownKeys} and skipped, so all of them are reported. */
  private static RawConfig bind(String yaml, String source, LineIndex lines, List<ConfigException> unknownKeys) {
    DeserializationProblemHandler collectUnknown = new DeserializationProblemHandler() {
      @Override
      public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
          Object bean, String name) throws IOException {
        String at = keyPath(p.getParsingContext());
        int line = lines == null ? 0 : lines.lineOf(at);
        unknownKeys.add(new ConfigException(source, line > 0 ? line : p.currentLocation().getLineNr(), at,
            "unknown key '" + name + "' (allowed: " + known(deserializer.getKnownPropertyNames()) + ")"));
        p.skipChildren();
        return true;
      }
    };
    try {
      return YAML.readerFor(RawConfig.class).withHandler(collectUnknown).readValue(yaml);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(source, line(e, lines), path(e),
          "unknown key '" + e.getPropertyName() + "' (allowed: " + known(e.getKnownPropertyIds()) + ")");
    } catch (MismatchedInputException e) {
      throw new ConfigException(source, line(e, lines), path(e), "expected " + describe(e.getTargetType()) + got(e, lines));
    } catch (JsonMappingException e) {
      throw new ConfigException(source, line(e), path(e), firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e);
    }
  }

  /** The offending value as the document writes it. */
  private static String got(MismatchedInputException e, LineIndex lines) {
    return lines == null ? "" : lines.scalar(path(e)).map(v -> " (got '" + v + "')").orElse("");
  }

  private static String keyPath(JsonStreamContext context) {
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        parts.push(c.getCurrentName());
      } else if (c.inArray()) {
        parts.push("[" + c.getCurrentIndex() + "]");
      }
    }
    return String.join(".", parts).replace(".[", "[");
  }

  private static int line(JsonMappingException e, LineIndex lines) {
    int indexed = lines == null ? 0 : lines.lineOf(path(e));
    return indexed > 0 ? indexed : line(e);
  }

  private static ConfigException syntaxError(String source, IOException e) {
    int line = e instanceof JsonProcessingException jpe && jpe.getLocation() != null ? jpe.getLocation().getLineNr() : 0;
    String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : "unreadable";
    return new ConfigException(source, line, "", "not valid YAML: " + firstLine(msg));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static int line(JsonProcessingException e) {
    return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String known(Collection<Object> ids) {
    return ids == null ? "" : new TreeSet<>(ids.stream().map(String::valueOf).collect(Collectors.toList()))
        .stream().collect(Collectors.joining(", "));
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "a different kind of value";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping (key: value)";
  }

  private static ObjectMapper strictMapper() {
    ObjectMapper m = new ObjectMapper(new YAMLFactory());
    m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    m.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    // "30000" is not a number and 1 is not a string: no silent coercion between scalar kinds.
    for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
      m.coercionConfigFor(t).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return m;
  }

  private static String embeddedText() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/dev/codemode/policies/default-config.yaml")) {
      if (in == null) {
        throw new IllegalStateException("the embedded default configuration is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RawConfig bindEmbedded() {
    List<ConfigException> unknownKeys = new ArrayList<>();
    RawConfig raw = bind(embeddedText(), EMBEDDED, null, unknownKeys);
    if (!unknownKeys.isEmpty()) {
      throw ConfigException.all(unknownKeys);
    }
    return raw;
  }

  /** The embedded default's YAML text, for {@code check-config} and docs. */
  public static String embeddedYaml() {
    return embeddedText();
  }
}
