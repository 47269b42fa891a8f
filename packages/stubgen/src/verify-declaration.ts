import { Project, ts } from "ts-morph";

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
  const project = new Project({
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      target: ts.ScriptTarget.ES2023,
      lib: ["lib.es2023.d.ts"],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ["node"],
    },
    skipAddingFilesFromTsConfig: true,
  });
  const file = project.createSourceFile(filePath, text, { overwrite: true });
  const diagnostics = project
    .getProgram()
    .compilerObject.getSemanticDiagnostics(file.compilerNode)
    .concat(project.getProgram().compilerObject.getSyntacticDiagnostics(file.compilerNode))
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      if (diagnostic.start === undefined) return message;
      const { line, character } = file.compilerNode.getLineAndCharacterOfPosition(diagnostic.start);
      return `${line + 1}:${character + 1} - ${message}`;
    });
  const checker = project.getTypeChecker().compilerObject;
  const moduleSymbol = checker.getSymbolAtLocation(file.compilerNode);
  const exportedNames = moduleSymbol
    ? checker
        .getExportsOfModule(moduleSymbol)
        .map((symbol) => symbol.name)
        .sort()
    : [];
  return { diagnostics, exportedNames };
}
