const ERROR_BRAND = Symbol.for("fabricatio.error");

/** Base class of every error thrown by `@fabricatio/scanner`. */
export class ScannerError extends Error {
  /** Stable machine-readable code, prefixed `SCANNER_`. */
  readonly code: string = "SCANNER_ERROR";
  readonly [ERROR_BRAND] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * No Python interpreter could be started. `tried` lists every command attempted, in order.
 */
export class InterpreterNotFoundError extends ScannerError {
  override readonly code = "SCANNER_INTERPRETER_NOT_FOUND";
  readonly tried: readonly string[];

  constructor(tried: readonly string[], options?: { cause?: unknown }) {
    super(`No Python interpreter could be run; tried: ${tried.join(", ")}`, options);
    this.tried = tried;
  }
}

/** The interpreter ran but its answer (exit status or JSON) was unusable. */
export class InterpreterOutputError extends ScannerError {
  override readonly code = "SCANNER_INTERPRETER_OUTPUT";
  readonly python: string;

  constructor(python: string, detail: string, options?: { cause?: unknown }) {
    super(`Python interpreter "${python}" gave an unusable answer: ${detail}`, options);
    this.python = python;
  }
}

/** The directory to scan (site-packages or a node_modules root) does not exist or is not a directory. */
export class ScanRootNotFoundError extends ScannerError {
  override readonly code = "SCANNER_ROOT_NOT_FOUND";
  readonly path: string;

  constructor(path: string, options?: { cause?: unknown }) {
    super(`Directory to scan not found: ${path}`, options);
    this.path = path;
  }
}

/** A PEP 508 requirement, marker or PEP 440 specifier could not be parsed. */
export class RequirementSyntaxError extends ScannerError {
  override readonly code = "SCANNER_INVALID_REQUIREMENT";
  /** The text that failed to parse. */
  readonly input: string;
  /** Zero-based character offset of the problem within `input`. */
  readonly position: number;

  constructor(input: string, position: number, detail: string) {
    super(`Invalid requirement ${JSON.stringify(input)} at column ${position + 1}: ${detail}`);
    this.input = input;
    this.position = position;
  }
}

/** A query was made before the first `refresh()` completed. */
export class ScannerNotRefreshedError extends ScannerError {
  override readonly code = "SCANNER_NOT_REFRESHED";

  constructor(scanner: string) {
    super(`${scanner} has not been refreshed yet: await refresh() before querying it`);
  }
}

/**
 * Whether `value` is an error from this package, by brand and code rather than `instanceof`,
 * so that two loaded copies of the package still recognise each other's errors.
 */
export function isScannerError(value: unknown): value is ScannerError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[ERROR_BRAND] === true &&
    typeof (value as { code?: unknown }).code === "string" &&
    (value as { code: string }).code.startsWith("SCANNER_")
  );
}
