import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import { DeclarationBundler } from "./declaration-bundler.js";
import { CompileError, EntryNotFoundError } from "./errors.js";
import { createOverlayProgram, formatDiagnostic, readTsconfig } from "./overlay-program.js";

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
  /**
   * Type-check the sources first and throw `CompileError` on any error. Turn it off only right
   * after a successful `tsc` build of the same sources. @default true
   */
  typeCheck?: boolean;
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
  typeCheck = true,
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

  const config = readTsconfig(configPath);
  if (config.errors.length > 0)
    throw new CompileError(configPath, config.errors.map(formatDiagnostic));
  const sourceProgram = createOverlayProgram(config.fileNames, config.options);
  // Declaration emit does not notice every error (an unknown type name is emitted as written),
  // so the sources are type-checked first, unless the caller has just compiled them.
  const errors = (
    typeCheck ? ts.getPreEmitDiagnostics(sourceProgram) : sourceProgram.getSyntacticDiagnostics()
  )
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .map(formatDiagnostic);
  if (errors.length > 0) throw new CompileError(packageName, errors);
  const declarations = new Map<string, string>();
  const emitted = sourceProgram.emit(
    undefined,
    (fileName, text) => {
      if (fileName.endsWith(".d.ts")) declarations.set(path.resolve(fileName), text);
    },
    undefined,
    true,
  );
  if (emitted.emitSkipped)
    throw new CompileError(packageName, emitted.diagnostics.map(formatDiagnostic));
  const program = createOverlayProgram(
    [...declarations.keys()],
    {
      ...config.options,
      noEmit: true,
      declaration: false,
      declarationMap: false,
      composite: false,
    },
    declarations,
  );
  const localFiles = new Set([...declarations.keys()]);

  const results: GeneratedDeclaration[] = [];
  for (const [subpath, types] of typesEntries(manifest)) {
    const outputPath = path.resolve(root, types);
    const entry = program.getSourceFile(outputPath);
    if (!entry) {
      throw new EntryNotFoundError(
        outputPath,
        `the build of ${packageName} does not produce the "${subpath}" types entry`,
      );
    }
    const bundler = new DeclarationBundler(program, (fileName) =>
      localFiles.has(path.resolve(fileName)),
    );
    const header = `// Generated by @fabricatio/stubgen for ${packageName}${subpath === "." ? "" : subpath.slice(1)}. Do not edit.`;
    const { text, exportedNames } = bundler.bundle(entry, header);
    results.push({ packageName, subpath, outputPath, text, exportedNames });
  }
  return results;
}
