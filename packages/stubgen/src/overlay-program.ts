import { statSync } from "node:fs";
import path from "node:path";
import { getLibFiles } from "@ts-morph/common";
import { ts } from "ts-morph";

// ts-morph's compiler keeps its lib files in memory rather than beside the compiler on disk.
const LIB_FOLDER = path.resolve("/__ts-morph-lib__");
let libFiles: Map<string, string> | undefined;

function bundledLibFiles(): Map<string, string> {
  libFiles ??= new Map(
    getLibFiles().map((file) => [path.join(LIB_FOLDER, file.fileName), file.text]),
  );
  return libFiles;
}

// Parsed files that cannot change during a run (the compiler's lib files and installed
// dependencies) are shared by every program: a workspace run builds two programs per package,
// and each would otherwise parse lib.*.d.ts and @types/node again. Keyed by file, its mtime and
// the parse settings, so a reinstalled dependency is parsed afresh.
const sharedSourceFiles = new Map<string, ts.SourceFile>();
const SHARED_FILES_MAX = 5000;

function sharedKey(
  file: string,
  languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions,
): string | undefined {
  const resolved = path.resolve(file);
  const isLib = resolved.startsWith(LIB_FOLDER + path.sep);
  if (!isLib && !resolved.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
  const settings =
    typeof languageVersion === "object"
      ? `${languageVersion.languageVersion}:${languageVersion.impliedNodeFormat ?? ""}:${languageVersion.jsDocParsingMode ?? ""}`
      : String(languageVersion);
  if (isLib) return `${resolved}|${settings}`;
  try {
    const { mtimeMs, size } = statSync(resolved);
    return `${resolved}|${mtimeMs}|${size}|${settings}`;
  } catch {
    return undefined;
  }
}

/**
 * A compiler program over the real file system with some files replaced by in-memory text.
 * The compiler's own host is used on purpose: it derives each file's module format from the
 * nearest package.json `type`, which ts-morph's Project does not (dsherret/ts-morph#1446).
 */
export function createOverlayProgram(
  rootNames: readonly string[],
  options: ts.CompilerOptions,
  overlay: ReadonlyMap<string, string> = new Map(),
): ts.Program {
  const overlaid = [...overlay].map(([file, text]) => [path.resolve(file), text] as const);
  const overlaidFiles = new Set(overlaid.map(([file]) => file));
  const normalized = new Map([...bundledLibFiles(), ...overlaid]);
  const host = ts.createCompilerHost(options, true);
  host.getDefaultLibLocation = () => LIB_FOLDER;
  host.getDefaultLibFileName = (compilerOptions) =>
    path.join(LIB_FOLDER, ts.getDefaultLibFileName(compilerOptions));
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  // Emitted declarations may live in a folder that does not exist on disk yet (dist/).
  const overlayFolders = new Set<string>();
  for (const file of normalized.keys()) {
    for (
      let folder = path.dirname(file);
      !overlayFolders.has(folder);
      folder = path.dirname(folder)
    ) {
      overlayFolders.add(folder);
      if (folder === path.dirname(folder)) break;
    }
  }
  host.directoryExists = (directory) =>
    overlayFolders.has(path.resolve(directory)) || (directoryExists?.call(host, directory) ?? true);
  host.fileExists = (file) => normalized.has(path.resolve(file)) || fileExists.call(host, file);
  host.readFile = (file) => normalized.get(path.resolve(file)) ?? readFile.call(host, file);
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) => {
    const resolved = path.resolve(file);
    const key = overlaidFiles.has(resolved) ? undefined : sharedKey(file, languageVersion);
    const cached = key === undefined ? undefined : sharedSourceFiles.get(key);
    if (cached) return cached;
    const text = normalized.get(resolved);
    const sourceFile =
      text === undefined
        ? getSourceFile.call(host, file, languageVersion, onError, shouldCreate)
        : ts.createSourceFile(file, text, languageVersion, true);
    if (key !== undefined && sourceFile) {
      if (sharedSourceFiles.size >= SHARED_FILES_MAX) sharedSourceFiles.clear();
      sharedSourceFiles.set(key, sourceFile);
    }
    return sourceFile;
  };
  return ts.createProgram({ rootNames: [...rootNames], options, host });
}

/** Parses a tsconfig file the way `tsc -p` does. */
export function readTsconfig(configPath: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    },
  );
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  return parsed;
}

/** `file:line:column - message` for a compiler diagnostic. */
export function formatDiagnostic(diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (!diagnostic.file || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${diagnostic.file.fileName}:${line + 1}:${character + 1} - ${message}`;
}
