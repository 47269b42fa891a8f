const ERROR_BRAND = Symbol.for("fabricatio.error");

/** Base class of every error @fabricatio/logger throws. */
export class LoggerError extends Error {
  readonly [ERROR_BRAND] = true;
  /** Stable machine-readable code, prefixed `LOGGER_`. */
  readonly code: string = "LOGGER_ERROR";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether `value` is a logger error, even from another copy of this package. */
export function isLoggerError(value: unknown): value is LoggerError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<PropertyKey, unknown>)[ERROR_BRAND] === true &&
    String((value as { code?: unknown }).code).startsWith("LOGGER_")
  );
}

/** A level name that is not one of the known levels or aliases. */
export class InvalidLevelError extends LoggerError {
  override readonly code = "LOGGER_INVALID_LEVEL";
  /** The name that was given. */
  readonly level: string;
  /** The names that would have been accepted. */
  readonly validLevels: readonly string[];

  constructor(level: string, validLevels: readonly string[]) {
    super(`Unknown log level "${level}"; valid levels are ${validLevels.join(", ")} (any case)`);
    this.level = level;
    this.validLevels = validLevels;
  }
}

/** A rotation name that is not `never`, `minutely`, `hourly` or `daily`. */
export class InvalidRotationError extends LoggerError {
  override readonly code = "LOGGER_INVALID_ROTATION";
  /** The rotation that was given. */
  readonly rotation: string;

  constructor(rotation: string, validRotations: readonly string[]) {
    super(`Unknown log rotation "${rotation}"; valid rotations are ${validRotations.join(", ")}`);
    this.rotation = rotation;
  }
}

/** The log directory or file cannot be created or opened for writing. */
export class LogFileError extends LoggerError {
  override readonly code = "LOGGER_FILE_OPEN";
  /** The path that could not be used. */
  readonly path: string;

  constructor(path: string, cause: unknown) {
    super(
      `Cannot open log file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.path = path;
  }
}

/** A `log_level` directive (`target=level`) that cannot be parsed. */
export class InvalidLogDirectiveError extends LoggerError {
  override readonly code = "LOGGER_INVALID_DIRECTIVE";
  /** The directive as written. */
  readonly directive: string;

  constructor(directive: string, problem: string, validLevels: readonly string[]) {
    super(
      `Invalid log directive "${directive}": ${problem}; write "level" or "target=level" with a level of ${validLevels.join(", ")} (any case), separated by commas`,
    );
    this.directive = directive;
  }
}
