import { existsSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

// One program per package: a package with many subpath entries is compiled once, not per entry.
const programs = new Map<string, { config: string; program: ts.Program }>();

function packageProgram(packageDir: string): { config: string; program: ts.Program } {
  const known = programs.get(packageDir);
  if (known) return known;
  const config = ["tsconfig.build.json", "tsconfig.json"]
    .map((name) => path.join(packageDir, name))
    .find((file) => existsSync(file));
  if (!config) throw new Error(`no tsconfig in ${packageDir}`);
  const parsed = ts.getParsedCommandLineOfConfigFile(
    config,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${config}`);
  const entry = {
    config,
    program: ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true }),
  };
  programs.set(packageDir, entry);
  return entry;
}

/**
 * The oracle of the export tests: the names TypeScript's own compiler (the `typescript` package,
 * its default host over the real files, as `tsc -p` builds the package) reports for a package's
 * source entry, sorted. Nothing of stubgen's (its ts-morph compiler, its overlay program) is used.
 */
export function sourceExportNames(packageDir: string, sourceEntry: string): string[] {
  const { config, program } = packageProgram(packageDir);
  const file = program.getSourceFile(path.join(packageDir, sourceEntry));
  if (!file) throw new Error(`${sourceEntry} is not part of ${config}`);
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(file);
  if (!symbol) return [];
  return checker
    .getExportsOfModule(symbol)
    .map((exported) => exported.name)
    .sort();
}

/**
 * The errors TypeScript's own compiler finds in `text` standing alone at `filePath` (its imports
 * resolve from there) under `--strict`, as `line:column - message`. The file may not exist yet
 * (dist/ is not built): the compiler's default host reads that one path from `text`.
 */
export function declarationDiagnostics(filePath: string, text: string): string[] {
  const file = path.resolve(filePath);
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    lib: ["lib.es2023.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ["node"],
  };
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, directoryExists } = host;
  host.fileExists = (name) => path.resolve(name) === file || fileExists.call(host, name);
  host.readFile = (name) => (path.resolve(name) === file ? text : readFile.call(host, name));
  host.directoryExists = (name) =>
    file.startsWith(path.resolve(name) + path.sep) || (directoryExists?.call(host, name) ?? true);
  const program = ts.createProgram({ rootNames: [file], options, host });
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) throw new Error(`${file} was not loaded`);
  return [
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
}

/**
 * The errors TypeScript's own compiler finds in the given files (paths to text; they need not
 * exist, their imports resolve from where they would be), compiled together under `--strict`, as
 * `file:line:column - message` with the file's base name. Errors inside dependencies'
 * declarations are left out, as `skipLibCheck` would, but the given `.d.ts` files are checked.
 */
export function programDiagnostics(files: Readonly<Record<string, string>>): string[] {
  const texts = new Map(Object.entries(files).map(([name, text]) => [path.resolve(name), text]));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    lib: ["lib.es2023.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ["node"],
  };
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, directoryExists } = host;
  host.fileExists = (name) => texts.has(path.resolve(name)) || fileExists.call(host, name);
  host.readFile = (name) => texts.get(path.resolve(name)) ?? readFile.call(host, name);
  host.directoryExists = (name) =>
    [...texts.keys()].some((file) => file.startsWith(path.resolve(name) + path.sep)) ||
    (directoryExists?.call(host, name) ?? true);
  const program = ts.createProgram({ rootNames: [...texts.keys()], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter(
      (diagnostic) =>
        diagnostic.category === ts.DiagnosticCategory.Error &&
        (!diagnostic.file || texts.has(path.resolve(diagnostic.file.fileName))),
    )
    .map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      if (!diagnostic.file || diagnostic.start === undefined) return message;
      const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      return `${path.basename(diagnostic.file.fileName)}:${line + 1}:${character + 1} - ${message}`;
    });
}
