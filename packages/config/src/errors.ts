import { redactSecrets } from "@fabricatio/logger";

const ERROR_BRAND = Symbol.for("fabricatio.error");

/** Base class of every error @fabricatio/config throws. */
export class ConfigError extends Error {
  readonly [ERROR_BRAND] = true;
  /** Stable machine-readable code, prefixed `CONFIG_`. */
  readonly code: string = "CONFIG_ERROR";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether `value` is a config error, even from another copy of this package. */
export function isConfigError(value: unknown): value is ConfigError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<PropertyKey, unknown>)[ERROR_BRAND] === true &&
    String((value as { code?: unknown }).code).startsWith("CONFIG_")
  );
}

/** A configuration file that is not valid TOML or JSON. */
export class ConfigParseError extends ConfigError {
  override readonly code = "CONFIG_PARSE_ERROR";
  /** The file. */
  readonly file: string;
  /** 1-based line of the problem, when the parser reports one. */
  readonly line: number | undefined;
  /** 1-based column of the problem, when the parser reports one. */
  readonly column: number | undefined;
  /** What is wrong, without the location. */
  readonly detail: string;

  constructor(
    file: string,
    line: number | undefined,
    column: number | undefined,
    detail: string,
    cause?: unknown,
  ) {
    super(`${file}${line === undefined ? "" : `:${line}:${column ?? 1}`}: ${detail}`, { cause });
    this.file = file;
    this.line = line;
    this.column = column;
    this.detail = detail;
  }
}

/** A configuration file that exists but cannot be read: a directory, or no permission. */
export class ConfigFileError extends ConfigError {
  override readonly code = "CONFIG_FILE_ERROR";
  /** The file. */
  readonly file: string;

  constructor(file: string, reason: string, cause?: unknown) {
    super(`${file} ${reason}`, { cause });
    this.file = file;
  }
}

/** One value that breaks a rule of the schema. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `llm.temperature` or `routing.providers.0.base_url`. */
  readonly path: string;
  /**
   * The offending value, fit to print: `***` at a secret path (API keys, MCP `env`/`headers`)
   * whatever its type, URL credentials masked, registered secrets masked in any text.
   */
  readonly value: unknown;
  /** The rule it breaks. */
  readonly rule: string;
  /** Where the value came from: a file path, `env FABRICATIO_…`, `override` or `default`. */
  readonly source: string;
}

/** The merged configuration breaks one or more rules; every problem is listed, not only the first. */
export class ConfigValidationError extends ConfigError {
  override readonly code = "CONFIG_VALIDATION_ERROR";
  /** Every problem found. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    // The values are redacted by path already; this also catches a registered secret that
    // surfaces anywhere else in the text.
    super(
      redactSecrets(
        `Invalid configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${issues
          .map(
            (issue) =>
              `  ${issue.path} = ${formatValue(issue.value)}: ${issue.rule} (from ${issue.source})`,
          )
          .join("\n")}`,
      ),
    );
    this.issues = issues;
  }
}

/** `configureLlmVariant` was given a kind that is not an agent variant. */
export class InvalidAgentVariantError extends ConfigError {
  override readonly code = "CONFIG_INVALID_AGENT_VARIANT";
  /** The kind that was given. */
  readonly kind: string;

  constructor(kind: string) {
    super(`Invalid agent variant: ${kind} (expected one of tiny, smol, task, slow, plan)`);
    this.kind = kind;
  }
}

function formatValue(value: unknown): string {
  if (value === undefined) return "(unset)";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
