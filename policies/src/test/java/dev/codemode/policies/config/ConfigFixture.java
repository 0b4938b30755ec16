package dev.codemode.policies.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codemode.policies.CodemodeConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** What the config tests share: YAML parsed as {@code test.yaml} in a fresh folder, and the error it must raise. */
abstract class ConfigFixture {
  @TempDir Path dir;

  CodemodeConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", dir);
  }

  ConfigException error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml));
  }

  String errorMessage(String yaml) {
    return error(yaml).getMessage();
  }
}
