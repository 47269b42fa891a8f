import path from "node:path";
import { ts } from "ts-morph";
import { createOverlayProgram } from "./overlay-program.js";

/** What the TypeScript compiler says of a generated declaration file. */
export interface DeclarationReport {
  /** Errors of a standalone `--strict` compile, formatted `line:column - message`. */
  readonly diagnostics: readonly string[];
  /** Names the checker sees exported, sorted. */
  readonly exportedNames: readonly string[];
}

/**
 * Type-checks `text` as if it stood alone at `filePath` (imports resolve from there), with
 * `strict` on and nothing else of the package loaded, and lists what it exports.
 */
export function verifyDeclaration(filePath: string, text: string): DeclarationReport {
  const file = path.resolve(filePath);
  const program = createOverlayProgram(
    [file],
    {
      strict: true,
      noEmit: true,
      // skipLibCheck would skip the file under test too (it is a .d.ts); only its own
      // diagnostics are asked for below, so dependencies' declarations are still not checked.
      skipLibCheck: false,
      skipDefaultLibCheck: true,
      target: ts.ScriptTarget.ES2023,
      lib: ["lib.es2023.d.ts"],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ["node"],
    },
    new Map([[file, text]]),
  );
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) throw new Error(`${file} was not loaded`);
  const diagnostics = [
    ...program.getSyntacticDiagnostics(sourceFile),
    ...program.getSemanticDiagnostics(sourceFile),
  ]
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      if (diagnostic.start === undefined) return message;
      const { line, character } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start);
      return `${line + 1}:${character + 1} - ${message}`;
    });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  const exportedNames = moduleSymbol
    ? checker
        .getExportsOfModule(moduleSymbol)
        .map((symbol) => symbol.name)
        .sort()
    : [];
  return { diagnostics, exportedNames };
}
