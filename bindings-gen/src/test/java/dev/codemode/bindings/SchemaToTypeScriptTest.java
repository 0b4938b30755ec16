package dev.codemode.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** One construct per test: the schema on the left, the TypeScript declaration expected on the right. */
class SchemaToTypeScriptTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static String ts(String schemaJson) throws Exception {
    return new SchemaToTypeScript().declarations(JSON.readTree(schemaJson.replace('\'', '"')), "T");
  }

  /** The root type only, for one-line expectations. */
  static String root(String schemaJson) throws Exception {
    String all = ts(schemaJson);
    int start = all.indexOf("export type T = ") + "export type T = ".length();
    return all.substring(start, all.indexOf(";\n", start));
  }

  @Test
  void primitives() throws Exception {
    assertEquals("string", root("{'type':'string'}"));
    assertEquals("number", root("{'type':'number'}"));
    assertEquals("number", root("{'type':'integer'}"));
    assertEquals("boolean", root("{'type':'boolean'}"));
    assertEquals("null", root("{'type':'null'}"));
    assertEquals("unknown", root("{'type':'tensor'}"));
  }

  @Test
  void missingTypeIsUnknown() throws Exception {
    assertEquals("unknown", root("{}"));
    assertEquals("unknown", root("{'description':'anything'}"));
    assertEquals("unknown", root("true"));
    assertEquals("never", root("false"));
  }

  @Test
  void requiredAndOptionalProperties() throws Exception {
    assertEquals("""
        export type T = {
          a: string;
          b?: number;
        };
        """, ts("{'type':'object','properties':{'a':{'type':'string'},'b':{'type':'number'}},'required':['a']}"));
  }

  @Test
  void nonIdentifierKeysAreQuoted() throws Exception {
    assertEquals("""
        export type T = {
          "kebab-key"?: string;
          "with \\"quote\\" and \\n"?: string;
          ""?: string;
          "\\u00E9t\\u00E9"?: string;
          $ok_1?: string;
        };
        """, ts("{'properties':{'kebab-key':{'type':'string'},'with \\'quote\\' and \\n':{'type':'string'},"
            + "'':{'type':'string'},'été':{'type':'string'},'$ok_1':{'type':'string'}}}"));
  }

  @Test
  void enumAndConstAreLiteralUnions() throws Exception {
    assertEquals("\"a\" | \"b\" | 1 | -2.5 | true | null", root("{'type':'string','enum':['a','b',1,-2.5,true,null,'a']}"));
    assertEquals("\"only\"", root("{'const':'only'}"));
    assertEquals("42", root("{'const':42}"));
  }

  @Test
  void arraysAndNestedArrays() throws Exception {
    assertEquals("string[]", root("{'type':'array','items':{'type':'string'}}"));
    assertEquals("string[][]", root("{'type':'array','items':{'type':'array','items':{'type':'string'}}}"));
    assertEquals("unknown[]", root("{'type':'array'}"));
    assertEquals("Array<string | number>", root("{'type':'array','items':{'type':['string','number']}}"));
  }

  @Test
  void tuplesFromPrefixItems() throws Exception {
    assertEquals("[string, number]", root("{'type':'array','prefixItems':[{'type':'string'},{'type':'number'}],'items':false,'minItems':2}"));
    assertEquals("[string, number?, ...boolean[]]", root("{'prefixItems':[{'type':'string'},{'type':'number'}],'items':{'type':'boolean'},'minItems':1}"));
    assertEquals("[string?, ...unknown[]]", root("{'type':'array','prefixItems':[{'type':'string'}]}"));
    assertEquals("[(string | null)?]", root("{'type':'array','prefixItems':[{'type':['string','null']}],'maxItems':1}"));
  }

  @Test
  void tuplesFromDraft07ArrayItems() throws Exception {
    assertEquals("[string, number]", root("{'type':'array','items':[{'type':'string'},{'type':'number'}],'additionalItems':false,'minItems':2}"));
    assertEquals("[string, ...number[]]", root("{'type':'array','items':[{'type':'string'}],'additionalItems':{'type':'number'},'minItems':1}"));
    assertEquals("[string, number]", root("{'type':'array','items':[{'type':'string'},{'type':'number'}],'minItems':2,'maxItems':2}"));
  }

  @Test
  void oneOfAndAnyOfAreUnionsAllOfIsAnIntersection() throws Exception {
    assertEquals("string | number", root("{'oneOf':[{'type':'string'},{'type':'number'}]}"));
    assertEquals("string | null", root("{'anyOf':[{'type':'string'},{'type':'null'},{'type':'string'}]}"));
    assertEquals("unknown", root("{'anyOf':[{'type':'string'},{}]}"));
    assertEquals("""
        export type T = {
          a: string;
        } & {
          b?: number;
        };
        """, ts("{'allOf':[{'properties':{'a':{'type':'string'}},'required':['a']},{'properties':{'b':{'type':'number'}}}]}"));
    assertEquals("string & (\"x\" | \"y\")", root("{'allOf':[{'type':'string'},{'enum':['x','y']}]}"));
  }

  @Test
  void siblingKeywordsAndCombinatorsIntersect() throws Exception {
    assertEquals("""
        export type T = {
          kind: string;
        } & ({
          a: number;
        } | {
          b: number;
        });
        """, ts("{'type':'object','properties':{'kind':{'type':'string'}},'required':['kind'],"
            + "'oneOf':[{'properties':{'a':{'type':'number'}},'required':['a']},{'properties':{'b':{'type':'number'}},'required':['b']}]}"));
    assertEquals("""
        export type T = {
          kind?: string;
        };
        """, ts("{'type':'object','properties':{'kind':{'type':'string'}},'anyOf':[{'required':['kind']},{}]}"));
  }

  @Test
  void anEmptyDeclaredObjectDoesNotNeverTheCombinedParts() throws Exception {
    assertEquals("""
        export type T = {
          a?: string;
        };
        """, ts("{'type':'object','properties':{},'allOf':[{'properties':{'a':{'type':'string'}}}]}"));
    assertEquals("string", root("{'type':'object','properties':{},'$ref':'#/$defs/S','$defs':{'S':{'type':'string'}}}"));
  }

  @Test
  void nullableForms() throws Exception {
    assertEquals("string | null", root("{'type':'string','nullable':true}"));
    assertEquals("string | null", root("{'type':['string','null']}"));
    assertEquals("\"a\" | null", root("{'enum':['a'],'nullable':true}"));
    assertEquals("string | number | boolean", root("{'type':['string','number','boolean']}"));
  }

  @Test
  void additionalPropertiesAndPatternProperties() throws Exception {
    assertEquals("{ [key: string]: number }", root("{'type':'object','additionalProperties':{'type':'number'}}"));
    assertEquals("{ [key: string]: unknown }", root("{'type':'object','additionalProperties':true}"));
    assertEquals("{ [key: string]: unknown }", root("{'type':'object'}"));
    assertEquals("Record<string, never>", root("{'type':'object','additionalProperties':false}"));
    assertEquals("Record<string, never>", root("{'type':'object','properties':{}}"));
    assertEquals("{ [key: string]: string | number }",
        root("{'type':'object','patternProperties':{'^s':{'type':'string'},'^n':{'type':'number'}},'additionalProperties':false}"));
    assertEquals("""
        export type T = {
          id: string;
          [key: string]: unknown;
        };
        """, ts("{'type':'object','properties':{'id':{'type':'string'}},'required':['id'],'additionalProperties':{'type':'number'}}"));
    assertEquals("""
        export type T = {
          id: string;
        };
        """, ts("{'type':'object','properties':{'id':{'type':'string'}},'required':['id'],'additionalProperties':false}"));
  }

  @Test
  void refsToDefsAndDefinitionsBecomeNamedTypes() throws Exception {
    assertEquals("""
        export type T = {
          a?: Item;
          b?: Old;
        };

        /** An item. */
        export type Item = {
          id: number;
        };

        export type Old = string;
        """, ts("{'properties':{'a':{'$ref':'#/$defs/Item'},'b':{'$ref':'#/definitions/Old'}},"
            + "'$defs':{'Item':{'description':'An item.','properties':{'id':{'type':'number'}},'required':['id']}},"
            + "'definitions':{'Old':{'type':'string'}}}"));
  }

  @Test
  void recursiveRefsAreNamedOnceAndStayFinite() throws Exception {
    assertEquals("""
        export type T = {
          value: string;
          children?: Node[];
          parent?: T;
        };

        export type Node = {
          value: string;
          children?: Node[];
          parent?: T;
        };
        """, ts("{'$ref':'#/$defs/Node','$defs':{'Node':{'properties':{'value':{'type':'string'},"
            + "'children':{'type':'array','items':{'$ref':'#/$defs/Node'}},'parent':{'$ref':'#'}},'required':['value']}}}"));
  }

  @Test
  void rootRefIsInlinedAndNamedDefsAreShared() throws Exception {
    assertEquals("""
        export type T = {
          next?: Link;
        };

        export type Link = {
          next?: Link;
        };
        """, ts("{'$ref':'#/$defs/Link','$defs':{'Link':{'properties':{'next':{'$ref':'#/$defs/Link'}}}}}"));
  }

  @Test
  void cyclesWithoutStructureBecomeUnknown() throws Exception {
    assertEquals("unknown", root("{'$ref':'#/$defs/A','$defs':{'A':{'$ref':'#/$defs/B'},'B':{'$ref':'#/$defs/A'}}}"));
    assertEquals("unknown", root("{'anyOf':[{'type':'string'},{'$ref':'#/nowhere'}]}"));
    assertEquals("export type T = Array<string | A>;\n\nexport type A = unknown;\n",
        ts("{'type':'array','items':{'anyOf':[{'type':'string'},{'$ref':'#/$defs/A'}]},'$defs':{'A':{'$ref':'#/$defs/A'}}}"));
    assertEquals("unknown", root("{'anyOf':[{'type':'string'},{'$ref':'#'}]}"));
  }

  @Test
  void otherPointersAreInlinedAndRemoteRefsAreUnknown() throws Exception {
    assertEquals("""
        export type T = {
          a?: string;
          b?: string;
          c?: unknown;
          d?: OddName;
        };

        export type OddName = boolean;
        """, ts("{'properties':{'a':{'type':'string'},'b':{'$ref':'#/properties/a'},"
            + "'c':{'$ref':'https://example.com/s.json'},'d':{'$ref':'#/$defs/odd%20name~1'}},"
            + "'$defs':{'odd name/':{'type':'boolean'}}}"));
  }

  @Test
  void propertyDocsCarryDescriptionAndConstraints() throws Exception {
    assertEquals("""
        export type T = {
          /**
           * How many.
           * Second line.
           * @default 3
           * @minimum 1
           * @maximum 10
           * @example 5
           */
          n?: number;
          /**
           * @minLength 2
           * @maxLength 5
           * @pattern ^a*\\/b$
           * @format email
           */
          s?: string;
          /** \\@returns injected tag *\\/ closed */
          x?: string;
        };
        """, ts("{'properties':{'n':{'type':'integer','description':'How many.\\nSecond line.','default':3,"
            + "'minimum':1,'maximum':10,'examples':[5]},"
            + "'s':{'type':'string','minLength':2,'maxLength':5,'pattern':'^a*/b$','format':'email'},"
            + "'x':{'type':'string','description':'@returns injected tag */ closed'}}}"));
  }

  @Test
  void hugeLiteralsWiden() throws Exception {
    String longText = "x".repeat(SchemaLiterals.MAX_LITERAL_LENGTH + 1);
    assertEquals("string", root("{'const':'" + longText + "'}"));
    assertEquals("number", root("{'const':1e400}"));
  }
}
