import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** A TypeScript block to compile as one file of a user's project. */
export interface Snippet {
  /** File name inside the project's `src/`, unique: `packages_thryd_README-L52.ts`. */
  readonly fileName: string;
  readonly code: string;
  /** Compile with the fragment prelude's declarations in scope. */
  readonly fragment: boolean;
  /** Emit JavaScript for it (to run it). */
  readonly emit: boolean;
}

/** One compiler error inside a snippet. */
export interface SnippetDiagnostic {
  /** Line and column inside the snippet, 1-based. */
  readonly line: number;
  readonly column: number;
  /** `TS2304: Cannot find name 'router'.` */
  readonly message: string;
}

/** What {@link typeCheckSnippets} found. */
export interface TypeCheckResult {
  /** Errors per snippet file name (every snippet has an entry, empty when it compiles). */
  readonly diagnostics: ReadonlyMap<string, readonly SnippetDiagnostic[]>;
  /** Errors outside any snippet (the prelude, the options): the check itself is broken. */
  readonly globalErrors: readonly string[];
  /** The emitted JavaScript of each snippet with `emit`, by snippet file name. */
  readonly outputs: ReadonlyMap<string, string>;
}

/** Options of {@link typeCheckSnippets}. */
export interface TypeCheckOptions {
  /**
   * The project folder: `package.json`, `tsconfig.json`, `src/` and `out/` are written here. Its
   * imports resolve as a user's would, through the `node_modules` of it or a folder above it.
   */
  readonly projectDir: string;
  readonly snippets: readonly Snippet[];
  /** A `.d.ts` of global declarations that fragments may use. */
  readonly preludeFile: string;
}

/**
 * The compiler options of a user's project: ESM on Node (NodeNext), strict, top-level await.
 * Deliberately without the repository's extra strictness (`noUncheckedIndexedAccess`): snippets
 * are checked as most projects would compile them.
 */
const USER_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2023", "ESNext.Disposable"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    moduleDetection: "force",
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ["node"],
    sourceMap: true,
    rootDir: "src",
    outDir: "out",
  },
};

function compile(
  projectDir: string,
  files: readonly string[],
  emitted: ReadonlySet<string>,
  outputs: Map<string, string>,
): readonly ts.Diagnostic[] {
  const parsed = ts.parseJsonConfigFileContent(
    { ...USER_TSCONFIG, files },
    ts.sys,
    projectDir,
    undefined,
    path.join(projectDir, "tsconfig.json"),
  );
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  for (const file of program.getRootFileNames()) {
    const name = path.basename(file);
    if (!emitted.has(name)) continue;
    program.emit(program.getSourceFile(file), (outputPath, text) => {
      writeFileSync(outputPath, text);
      if (outputPath.endsWith(".js")) outputs.set(name, outputPath);
    });
  }
  return [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
}

/**
 * Type-checks every snippet as a file of one user project (see `USER_TSCONFIG`), with the
 * repository's TypeScript: complete snippets in one program, fragments in another that also holds
 * the prelude, so a complete snippet can never lean on the prelude. Emits the ones marked `emit`.
 */
export function typeCheckSnippets({
  projectDir,
  snippets,
  preludeFile,
}: TypeCheckOptions): TypeCheckResult {
  const sourceDir = path.join(projectDir, "src");
  mkdirSync(sourceDir, { recursive: true });
  mkdirSync(path.join(projectDir, "out"), { recursive: true });
  writeFileSync(
    path.join(projectDir, "package.json"),
    `${JSON.stringify({ name: "readme-snippets", private: true, type: "module" }, null, 2)}\n`,
  );
  writeFileSync(
    path.join(projectDir, "tsconfig.json"),
    `${JSON.stringify(USER_TSCONFIG, null, 2)}\n`,
  );
  const diagnostics = new Map<string, SnippetDiagnostic[]>();
  for (const snippet of snippets) {
    writeFileSync(path.join(sourceDir, snippet.fileName), `${snippet.code}\n`);
    diagnostics.set(snippet.fileName, []);
  }
  const emitted = new Set(snippets.filter((snippet) => snippet.emit).map((item) => item.fileName));
  const outputs = new Map<string, string>();
  const found: ts.Diagnostic[] = [];
  const complete = snippets.filter((snippet) => !snippet.fragment);
  const fragments = snippets.filter((snippet) => snippet.fragment);
  if (complete.length > 0) {
    found.push(
      ...compile(
        projectDir,
        complete.map((snippet) => path.join(sourceDir, snippet.fileName)),
        emitted,
        outputs,
      ),
    );
  }
  if (fragments.length > 0) {
    const prelude = path.join(sourceDir, "fragment-prelude.d.ts");
    writeFileSync(prelude, ts.sys.readFile(preludeFile) ?? "");
    found.push(
      ...compile(
        projectDir,
        [prelude, ...fragments.map((snippet) => path.join(sourceDir, snippet.fileName))],
        emitted,
        outputs,
      ),
    );
  }
  const globalErrors: string[] = [];
  for (const diagnostic of found) {
    if (diagnostic.category !== ts.DiagnosticCategory.Error) continue;
    const message = `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
    const name = diagnostic.file ? path.basename(diagnostic.file.fileName) : undefined;
    const list = name === undefined ? undefined : diagnostics.get(name);
    if (
      !diagnostic.file ||
      list === undefined ||
      path.dirname(diagnostic.file.fileName) !== sourceDir
    ) {
      const where = diagnostic.file
        ? `${diagnostic.file.fileName}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}: `
        : "";
      globalErrors.push(`${where}${message}`);
      continue;
    }
    const position = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    list.push({ line: position.line + 1, column: position.character + 1, message });
  }
  return { diagnostics, globalErrors, outputs };
}
