import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Project, ts } from "ts-morph";
import { DeclarationBundler } from "./declaration-bundler.js";
import { CompileError, EntryNotFoundError } from "./errors.js";

/** One rolled-up declaration file generated for an entry point of a package. */
export interface GeneratedDeclaration {
  /** The package name from package.json. */
  readonly packageName: string;
  /** The `exports` subpath, `.` for the main entry. */
  readonly subpath: string;
  /** Absolute path the declaration belongs at: the entry's `types` condition. */
  readonly outputPath: string;
  /** The declaration text. */
  readonly text: string;
  /** Exported names, sorted. */
  readonly exportedNames: readonly string[];
}

/** Options of {@link generatePackageDeclarations}. */
export interface GeneratePackageOptions {
  /** The package folder (holding package.json). */
  packageDir: string;
  /** The tsconfig that builds the package. @default "tsconfig.build.json", else "tsconfig.json" */
  tsconfig?: string;
}

interface PackageManifest {
  name?: string;
  types?: string;
  exports?: unknown;
}

/** The `types` file of every subpath in a package.json `exports` map (or its top-level `types`). */
export function typesEntries(manifest: PackageManifest): Map<string, string> {
  const entries = new Map<string, string>();
  const typesOf = (value: unknown): string | undefined => {
    if (typeof value === "string") return value.endsWith(".d.ts") ? value : undefined;
    if (value && typeof value === "object") {
      const conditions = value as Record<string, unknown>;
      if (typeof conditions.types === "string") return conditions.types;
      for (const key of ["import", "default", "node"]) {
        const nested = typesOf(conditions[key]);
        if (nested) return nested;
      }
    }
    return undefined;
  };
  const exportsField = manifest.exports;
  if (exportsField && typeof exportsField === "object" && !Array.isArray(exportsField)) {
    const keys = Object.keys(exportsField);
    if (keys.some((key) => key.startsWith("."))) {
      for (const [subpath, value] of Object.entries(exportsField)) {
        const types = typesOf(value);
        if (types) entries.set(subpath, types);
      }
    } else {
      const types = typesOf(exportsField);
      if (types) entries.set(".", types);
    }
  }
  if (entries.size === 0 && manifest.types) entries.set(".", manifest.types);
  return entries;
}

function formatDiagnostic(diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (!diagnostic.file || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${diagnostic.file.fileName}:${line + 1}:${character + 1} - ${message}`;
}

/** Reads and parses a package's package.json. @throws {EntryNotFoundError} when it is missing */
export function readManifest(packageDir: string): PackageManifest & Record<string, unknown> {
  const file = path.join(packageDir, "package.json");
  if (!existsSync(file)) throw new EntryNotFoundError(file, "no package.json");
  return JSON.parse(readFileSync(file, "utf8")) as PackageManifest & Record<string, unknown>;
}

/**
 * Compiles a package's sources to declarations in memory and rolls each `exports` entry into one
 * self-contained `.d.ts`. Nothing is written.
 * @throws {CompileError} when the sources do not compile
 * @throws {EntryNotFoundError} when an entry's `types` file is not produced by the build
 */
export function generatePackageDeclarations({
  packageDir,
  tsconfig,
}: GeneratePackageOptions): GeneratedDeclaration[] {
  const root = path.resolve(packageDir);
  const manifest = readManifest(root);
  const packageName = manifest.name ?? path.basename(root);
  const configPath = path.join(
    root,
    tsconfig ??
      (existsSync(path.join(root, "tsconfig.build.json"))
        ? "tsconfig.build.json"
        : "tsconfig.json"),
  );
  if (!existsSync(configPath)) throw new EntryNotFoundError(configPath, "no tsconfig");

  const sourceProject = new Project({ tsConfigFilePath: configPath });
  const errors = sourceProject
    .getPreEmitDiagnostics()
    .filter((diagnostic) => diagnostic.getCategory() === ts.DiagnosticCategory.Error)
    .map((diagnostic) => formatDiagnostic(diagnostic.compilerObject));
  if (errors.length > 0) throw new CompileError(packageName, errors);
  const emitted = sourceProject.emitToMemory({ emitOnlyDtsFiles: true });
  const declarationFiles = emitted.getFiles().filter((file) => file.filePath.endsWith(".d.ts"));

  const compilerOptions = sourceProject.getCompilerOptions();
  const declarationProject = new Project({
    compilerOptions: {
      ...compilerOptions,
      noEmit: true,
      declaration: false,
      declarationMap: false,
      composite: false,
    },
    skipAddingFilesFromTsConfig: true,
  });
  const localFiles = new Set<string>();
  for (const file of declarationFiles) {
    const created = declarationProject.createSourceFile(file.filePath, file.text, {
      overwrite: true,
    });
    localFiles.add(created.getFilePath());
  }
  const program = declarationProject.getProgram().compilerObject;

  const results: GeneratedDeclaration[] = [];
  for (const [subpath, types] of typesEntries(manifest)) {
    const outputPath = path.resolve(root, types);
    const entry = program.getSourceFile(outputPath.split(path.sep).join("/"));
    if (!entry) {
      throw new EntryNotFoundError(
        outputPath,
        `the build of ${packageName} does not produce the "${subpath}" types entry`,
      );
    }
    const bundler = new DeclarationBundler(program, (fileName) => localFiles.has(fileName));
    const header = `// Generated by @fabricatio/stubgen for ${packageName}${subpath === "." ? "" : subpath.slice(1)}. Do not edit.`;
    const { text, exportedNames } = bundler.bundle(entry, header);
    results.push({ packageName, subpath, outputPath, text, exportedNames });
  }
  return results;
}
