package dev.codemode.server.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgumentValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ArgumentValidator validator = new ArgumentValidator();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  private Optional<String> check(String schema, String args) throws Exception {
    return validator.check("everything.get-sum", json(schema), json(args));
  }

  private static final String SUM = "{'type':'object','properties':{'a':{'type':'number'},'b':{'type':'number'}},'required':['a','b']}";

  @Test
  void validArgumentsPass() throws Exception {
    assertEquals(Optional.empty(), check(SUM, "{'a':1,'b':2.5}"));
  }

  @Test
  void wrongTypeNamesTheField() throws Exception {
    String msg = check(SUM, "{'a':'x','b':1}").orElseThrow();
    assertTrue(msg.startsWith("invalid arguments for everything.get-sum: "), msg);
    assertTrue(msg.contains("'a'") || msg.contains("/a") || msg.contains(".a"), msg);
    assertTrue(msg.contains("number"), msg);
  }

  @Test
  void missingFieldIsNamed() throws Exception {
    String msg = check(SUM, "{'a':1}").orElseThrow();
    assertTrue(msg.contains("'b' is required"), msg);
  }

  @Test
  void nestedFieldIsNamedByItsPath() throws Exception {
    String schema = "{'type':'object','properties':{'entities':{'type':'array','items':{'type':'object',"
        + "'properties':{'name':{'type':'string'}},'required':['name']}}},'required':['entities']}";
    String msg = check(schema, "{'entities':[{'name':'ok'},{'name':5}]}").orElseThrow();
    assertTrue(msg.contains("entities") && msg.contains("1") && msg.contains("name"), msg);
    String missing = check(schema, "{'entities':[{}]}").orElseThrow();
    assertTrue(missing.contains("'name' is required") && missing.contains("entities"), missing);
  }

  @Test
  void unknownPropertyIsRefusedWhenTheSchemaSaysSo() throws Exception {
    String schema = "{'type':'object','properties':{'a':{'type':'number'}},'additionalProperties':false}";
    String msg = check(schema, "{'a':1,'zz':2}").orElseThrow();
    assertTrue(msg.contains("zz"), msg);
  }

  @Test
  void argumentsMustBeAnObject() throws Exception {
    assertTrue(check(SUM, "[1,2]").orElseThrow().contains("arguments must be an object, got array"));
  }

  @Test
  void draft07SchemasFromZodWork() throws Exception {
    String schema = "{'$schema':'http://json-schema.org/draft-07/schema#','type':'object',"
        + "'properties':{'n':{'type':'integer','minimum':1}},'required':['n']}";
    assertEquals(Optional.empty(), check(schema, "{'n':3}"));
    assertTrue(check(schema, "{'n':0}").orElseThrow().contains("n"));
  }
}
