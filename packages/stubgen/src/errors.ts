const ERROR_BRAND = Symbol.for("fabricatio.error");

/** Base class of every error @fabricatio/stubgen throws. */
export class StubgenError extends Error {
  readonly [ERROR_BRAND] = true;
  /** Stable machine-readable code, prefixed `STUBGEN_`. */
  readonly code: string = "STUBGEN_ERROR";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether `value` is a stubgen error, even from another copy of this package. */
export function isStubgenError(value: unknown): value is StubgenError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<PropertyKey, unknown>)[ERROR_BRAND] === true &&
    typeof (value as { code?: unknown }).code === "string" &&
    (value as { code: string }).code.startsWith("STUBGEN_")
  );
}

/** A package, entry point or file the generator was pointed at does not exist or is unusable. */
export class EntryNotFoundError extends StubgenError {
  override readonly code = "STUBGEN_ENTRY_NOT_FOUND";
  /** The path that was looked for. */
  readonly path: string;

  constructor(path: string, detail: string) {
    super(`${detail}: ${path}`);
    this.path = path;
  }
}

/** The package's own sources do not compile, so no declaration can be produced. */
export class CompileError extends StubgenError {
  override readonly code = "STUBGEN_COMPILE_ERROR";
  /** Compiler diagnostics, formatted `file:line:column - message`. */
  readonly diagnostics: readonly string[];

  constructor(what: string, diagnostics: readonly string[]) {
    super(
      `${what} has ${diagnostics.length} compile error(s):\n${diagnostics.slice(0, 20).join("\n")}`,
    );
    this.diagnostics = diagnostics;
  }
}

/** The API uses a construct the bundler cannot roll up faithfully. */
export class UnsupportedConstructError extends StubgenError {
  override readonly code = "STUBGEN_UNSUPPORTED";
  /** `file:line:column` of the construct. */
  readonly location: string;

  constructor(location: string, detail: string) {
    super(`${location}: ${detail}`);
    this.location = location;
  }
}

/** `--check` found declarations that differ from what would be generated now. */
export class OutdatedDeclarationError extends StubgenError {
  override readonly code = "STUBGEN_OUTDATED";
  /** The out-of-date files. */
  readonly files: readonly string[];

  constructor(files: readonly string[]) {
    super(
      `${files.length} declaration file(s) are out of date; run fabricatio-stubgen packages:\n${files.join("\n")}`,
    );
    this.files = files;
  }
}

/** Bad command-line input or options. */
export class UsageError extends StubgenError {
  override readonly code = "STUBGEN_USAGE";
}
