package dev.codemode.runtime.ts;

import com.caoccao.javet.swc4j.ast.expr.Swc4jAstIdent;
import com.caoccao.javet.swc4j.ast.expr.lit.Swc4jAstStr;
import com.caoccao.javet.swc4j.ast.interfaces.ISwc4jAst;
import com.caoccao.javet.swc4j.ast.interfaces.ISwc4jAstImportSpecifier;
import com.caoccao.javet.swc4j.ast.interfaces.ISwc4jAstModuleExportName;
import com.caoccao.javet.swc4j.ast.module.Swc4jAstExportAll;
import com.caoccao.javet.swc4j.ast.module.Swc4jAstExportDecl;
import com.caoccao.javet.swc4j.ast.module.Swc4jAstExportDefaultDecl;
import com.caoccao.javet.swc4j.ast.module.Swc4jAstExportDefaultExpr;
import com.caoccao.javet.swc4j.ast.module.Swc4jAstImportDecl;
import com.caoccao.javet.swc4j.ast.module.Swc4jAstImportDefaultSpecifier;
import com.caoccao.javet.swc4j.ast.module.Swc4jAstImportNamedSpecifier;
import com.caoccao.javet.swc4j.ast.module.Swc4jAstImportStarAsSpecifier;
import com.caoccao.javet.swc4j.ast.module.Swc4jAstNamedExport;
import com.caoccao.javet.swc4j.enums.Swc4jMediaType;
import com.caoccao.javet.swc4j.enums.Swc4jParseMode;
import com.caoccao.javet.swc4j.options.Swc4jParseOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The module syntax at the top level of the agent's code, as SWC's parser sees it (TypeScript is a
 * superset, so JavaScript parses too; a top-level {@code return} is accepted): whether the code exports
 * anything, and its static imports with where they are. Text inside strings, template literals and
 * comments is never mistaken for an import, as a line-based match would.
 */
public record ModuleSyntax(boolean exports, List<StaticImport> imports) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ModuleSyntax {
    imports = List.copyOf(imports);
  }

  /**
   * One static import: the UTF-16 range {@code [start, end)} it spans in the code, the specifier, and
   * the same bindings as a dynamic import statement ({@code null} for an import of types only).
   */
  public record StaticImport(int start, int end, String specifier, String asDynamicImport) {}

  /** Parses {@code code}; empty when it does not parse (the caller reports the engine's own syntax error). */
  public static Optional<ModuleSyntax> of(String code) {
    List<ISwc4jAst> body;
    try {
      body = new ArrayList<>(TypeScript.swc().parse(code, new Swc4jParseOptions()
          .setSpecifier(TypeScript.SPECIFIER)
          .setMediaType(Swc4jMediaType.TypeScript)
          .setParseMode(Swc4jParseMode.Module)
          .setCaptureAst(true)).getProgram().getBody());
    } catch (Exception e) {
      return Optional.empty();
    }
    boolean exports = false;
    List<StaticImport> imports = new ArrayList<>();
    for (ISwc4jAst node : body) {
      if (node instanceof Swc4jAstImportDecl decl) {
        int start = code.offsetByCodePoints(0, decl.getSpan().getStart());
        int end = code.offsetByCodePoints(start, decl.getSpan().getEnd() - decl.getSpan().getStart());
        imports.add(new StaticImport(start, end, decl.getSrc().getValue(), decl.isTypeOnly() ? null : dynamic(decl)));
      } else if (node instanceof Swc4jAstExportDecl || node instanceof Swc4jAstExportDefaultDecl
          || node instanceof Swc4jAstExportDefaultExpr || node instanceof Swc4jAstNamedExport
          || node instanceof Swc4jAstExportAll) {
        exports = true;
      }
    }
    return Optional.of(new ModuleSyntax(exports, imports));
  }

  /** {@code import d, {a as b} from 'm'} as {@code const {default: d, a: b} = await import("m");}. */
  private static String dynamic(Swc4jAstImportDecl decl) {
    String source = quote(decl.getSrc().getValue());
    List<String> named = new ArrayList<>();
    String namespace = null;
    for (ISwc4jAstImportSpecifier s : decl.getSpecifiers()) {
      if (s instanceof Swc4jAstImportDefaultSpecifier d) {
        named.add("default: " + d.getLocal().getSym());
      } else if (s instanceof Swc4jAstImportStarAsSpecifier star) {
        namespace = star.getLocal().getSym();
      } else if (s instanceof Swc4jAstImportNamedSpecifier n && !n.isTypeOnly()) {
        String local = n.getLocal().getSym();
        named.add(n.getImported().map(ModuleSyntax::exportName).map(q -> q + ": " + local).orElse(local));
      }
    }
    if (namespace == null && named.isEmpty()) {
      // A side-effect import (or one whose every binding is a type): still load the module.
      return decl.getSpecifiers().isEmpty() ? "await import(" + source + ");" : "";
    }
    StringBuilder sb = new StringBuilder();
    if (namespace != null) {
      sb.append("const ").append(namespace).append(" = await import(").append(source).append(");");
      if (!named.isEmpty()) {
        sb.append(" const {").append(String.join(", ", named)).append("} = ").append(namespace).append(';');
      }
      return sb.toString();
    }
    return "const {" + String.join(", ", named) + "} = await import(" + source + ");";
  }

  private static String exportName(ISwc4jAstModuleExportName name) {
    if (name instanceof Swc4jAstIdent id) {
      return id.getSym();
    }
    return quote(((Swc4jAstStr) name).getValue());
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
