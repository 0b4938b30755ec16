package dev.codemode.runtime.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.runtime.RunJournal;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsOpsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;
  private RunJournal journal;
  private FsOps ops;

  @BeforeEach
  void setUp() throws Exception {
    journal = new RunJournal();
    ops = new FsOps(new VirtualFiles(Fixtures.policy(Fixtures.hostTree(root), 4096, 50), journal), 1024);
  }

  private JsonNode call(String op, String argsJson) throws Exception {
    return ops.invoke(op, JSON.readTree(argsJson));
  }

  private String fails(String op, String argsJson) {
    return assertThrows(FsException.class, () -> call(op, argsJson)).code();
  }

  @Test
  void textAndBinaryRoundTrip() throws Exception {
    call("writeFile", "{\"path\":\"t.txt\",\"data\":\"h\u00e9llo \u2603\"}");
    assertEquals("\"h\u00e9llo \u2603\"", call("readFile", "{\"path\":\"t.txt\",\"encoding\":\"utf8\"}").toString());
    byte[] bytes = {0, 1, (byte) 0xff, (byte) 0xc3, 0x28};
    String b64 = Base64.getEncoder().encodeToString(bytes);
    call("writeFile", "{\"path\":\"b.bin\",\"data\":{\"encoding\":\"base64\",\"data\":\"" + b64 + "\"}}");
    JsonNode back = call("readFile", "{\"path\":\"b.bin\"}");
    assertEquals("base64", back.get("encoding").asText());
    assertEquals(b64, back.get("data").asText());
    assertEquals("\"\\u0000\\u0001\ufffd\ufffd(\"", call("readFile", "{\"path\":\"b.bin\",\"encoding\":\"utf8\"}").toString());
    call("appendFile", "{\"path\":\"t.txt\",\"data\":\"!\"}");
    assertEquals("h\u00e9llo \u2603!", call("readFile", "{\"path\":\"t.txt\",\"encoding\":\"utf-8\"}").asText());
  }

  @Test
  void writeFlags() throws Exception {
    call("writeFile", "{\"path\":\"f\",\"data\":\"a\",\"flag\":\"wx\"}");
    assertEquals("EEXIST", fails("writeFile", "{\"path\":\"f\",\"data\":\"b\",\"flag\":\"wx\"}"));
    call("writeFile", "{\"path\":\"f\",\"data\":\"b\",\"flag\":\"a\"}");
    assertEquals("ab", call("readFile", "{\"path\":\"f\",\"encoding\":\"utf8\"}").asText());
    assertEquals("EINVAL", fails("writeFile", "{\"path\":\"f\",\"data\":\"b\",\"flag\":\"r+\"}"));
  }

  @Test
  void listingStatMkdirRmShapes() throws Exception {
    assertEquals("\"/workspace/a\"", call("mkdir", "{\"path\":\"a/b\",\"recursive\":true}").toString());
    assertTrue(call("mkdir", "{\"path\":\"a/b\",\"recursive\":true}").isNull());
    call("writeFile", "{\"path\":\"a/f.txt\",\"data\":\"xyz\"}");
    assertEquals("[\"b\",\"f.txt\"]", call("readdir", "{\"path\":\"a\"}").toString());
    assertEquals("[{\"name\":\"b\",\"isFile\":false,\"isDirectory\":true},{\"name\":\"f.txt\",\"isFile\":true,\"isDirectory\":false}]",
        call("readdir", "{\"path\":\"a\",\"withFileTypes\":true}").toString());
    JsonNode st = call("stat", "{\"path\":\"a/f.txt\"}");
    assertEquals(3, st.get("size").asLong());
    assertTrue(st.get("isFile").asBoolean());
    assertTrue(st.get("mtimeMs").asLong() > 0);
    assertEquals("ENOTEMPTY", fails("rm", "{\"path\":\"a\"}"));
    assertTrue(call("rm", "{\"path\":\"a\",\"recursive\":true}").isNull());
    assertTrue(call("rm", "{\"path\":\"a\",\"force\":true}").isNull());
  }

  @Test
  void malformedCallsAreEinvalNotHostExceptions() throws Exception {
    assertEquals("EINVAL", fails("unlink", "{\"path\":\"x\"}"));
    assertEquals("EINVAL", fails("readFile", "[]"));
    assertEquals("EINVAL", fails("readFile", "{\"path\":42}"));
    assertEquals("EINVAL", fails("readFile", "{}"));
    assertEquals("EINVAL", fails("readFile", "{\"path\":\"x\",\"encoding\":\"latin1\"}"));
    assertEquals("EINVAL", fails("writeFile", "{\"path\":\"x\"}"));
    assertEquals("EINVAL", fails("writeFile", "{\"path\":\"x\",\"data\":{\"encoding\":\"base64\",\"data\":\"***\"}}"));
    assertEquals("EINVAL", fails("writeFile", "{\"path\":\"x\",\"data\":[1,2]}"));
    assertEquals("EINVAL", fails("mkdir", "{\"path\":\"x\",\"recursive\":\"yes\"}"));
    assertEquals("EINVAL", fails("readFile", "{\"path\":\"a\\u0000b\"}"));
    assertEquals("EINVAL", assertThrows(FsException.class, () -> ops.invoke(null, null)).code());
  }

  @Test
  void readCapAndQuotaSurfaceAsCodes() throws Exception {
    call("writeFile", "{\"path\":\"big\",\"data\":\"" + "x".repeat(2000) + "\"}");
    assertEquals("EFBIG", fails("readFile", "{\"path\":\"big\"}"));
    assertEquals("EDQUOT", fails("writeFile", "{\"path\":\"big2\",\"data\":\"" + "x".repeat(2100) + "\"}"));
    assertEquals("EACCES", fails("readFile", "{\"path\":\"/deps/.env\",\"encoding\":\"utf8\"}"));
    assertEquals("EROFS", fails("writeFile", "{\"path\":\"/deps/x\",\"data\":\"\"}"));
    assertEquals(4, journal.denials().size(), journal.denials().toString());
  }
}
