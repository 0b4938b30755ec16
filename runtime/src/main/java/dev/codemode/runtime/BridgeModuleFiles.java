package dev.codemode.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.codemode.runtime.vfs.DirEntry;
import dev.codemode.runtime.vfs.FileStat;
import dev.codemode.runtime.vfs.FsException;
import dev.codemode.runtime.vfs.ModuleFiles;
import dev.codemode.runtime.vfs.NodeKind;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * The module loader's files in a worker: each read is a synchronous round trip to the host, which keeps
 * the run's {@link RunFiles} and checks every path there. The context thread blocks for the answer; the
 * wall watchdog's {@code close(true)} interrupts the wait.
 */
final class BridgeModuleFiles implements ModuleFiles {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final BiFunction<String, JsonNode, CompletionStage<JsonNode>> bridge;
  private final long timeoutMs;

  BridgeModuleFiles(BiFunction<String, JsonNode, CompletionStage<JsonNode>> bridge, long timeoutMs) {
    this.bridge = bridge;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public byte[] readFile(String rawPath, long cap) throws FsException {
    JsonNode v = call("module.readFile", rawPath, null);
    byte[] data;
    try {
      data = Base64.getDecoder().decode(v.textValue());
    } catch (RuntimeException e) {
      throw new FsException("EIO", "EIO: the host's answer could not be read");
    }
    if (data.length > cap) {
      throw new FsException("EFBIG", "EFBIG: file too large, open '" + rawPath + "'");
    }
    return data;
  }

  @Override
  public List<DirEntry> readdir(String rawPath) throws FsException {
    JsonNode v = call("module.readdir", rawPath, null);
    List<DirEntry> out = new ArrayList<>();
    try {
      for (JsonNode e : v) {
        out.add(new DirEntry(e.get("name").textValue(), NodeKind.valueOf(e.get("kind").textValue())));
      }
    } catch (RuntimeException e) {
      throw new FsException("EIO", "EIO: the host's answer could not be read");
    }
    return out;
  }

  @Override
  public FileStat stat(String rawPath) throws FsException {
    JsonNode v = call("module.stat", rawPath, null);
    try {
      return new FileStat(NodeKind.valueOf(v.get("kind").textValue()), v.get("size").asLong(), v.get("mtimeMs").asLong());
    } catch (RuntimeException e) {
      throw new FsException("EIO", "EIO: the host's answer could not be read");
    }
  }

  @Override
  public FsException refuse(String rawPath, String code, String syscall, String rule) {
    try {
      call("module.refuse", rawPath, syscall);
      return new FsException(code, code + ": " + syscall + " '" + rawPath + "' (" + rule + ")");
    } catch (FsException e) {
      return e;
    }
  }

  private JsonNode call(String capability, String rawPath, String syscall) throws FsException {
    var args = JSON.objectNode().put("path", rawPath);
    if (syscall != null) {
      args.put("syscall", syscall);
    }
    try {
      JsonNode v = bridge.apply(capability, args).toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
      if (v == null) {
        throw new FsException("EIO", "EIO: the host gave no answer");
      }
      return v;
    } catch (ExecutionException e) {
      BridgeException be = BridgeException.of(e, "EIO", "EIO: the host could not complete " + capability);
      throw new FsException(be.code(), be.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FsException("EIO", "EIO: the run is ending");
    } catch (TimeoutException e) {
      throw new FsException("EIO", "EIO: the host did not answer in time");
    }
  }
}
