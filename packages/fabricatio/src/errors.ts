const ERROR_BRAND = Symbol.for("fabricatio.error");

/** Base class of every error the `fabricatio` package throws itself. */
export class FabricatioError extends Error {
  readonly [ERROR_BRAND] = true;
  /** Stable machine-readable code, prefixed `FABRICATIO_`. */
  readonly code: string = "FABRICATIO_ERROR";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether `value` is any Fabricatio error (of this package or a sub-package), from any copy. */
export function isFabricatioError(value: unknown): value is Error & { code: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<PropertyKey, unknown>)[ERROR_BRAND] === true &&
    typeof (value as { code?: unknown }).code === "string"
  );
}

/** A setting the call needs was neither passed nor configured. */
export class SettingNotSpecifiedError extends FabricatioError {
  override readonly code: string = "FABRICATIO_SETTING_MISSING";
  /** The config key, e.g. `embedding.ndim`. */
  readonly key: string;

  constructor(key: string, hint: string) {
    super(`${key} is not specified: ${hint}`);
    this.key = key;
  }
}

/** No group to send a request to was given and none is configured. */
export class SendToNotSpecifiedError extends SettingNotSpecifiedError {
  override readonly code = "FABRICATIO_SEND_TO_MISSING";

  constructor(section: "llm" | "embedding" | "reranker" = "llm") {
    const envName = `FABRICATIO_${section.toUpperCase()}__SEND_TO`;
    super(
      section === "llm" ? "send_to" : `${section}.send_to`,
      `pass { sendTo: "<group or agent variant>" }, or set ${section}.send_to in fabricatio.toml (or ${envName})`,
    );
  }
}

/** A template name found in none of the template stores nor among the built-in templates. */
export class TemplateNotFoundError extends FabricatioError {
  override readonly code = "FABRICATIO_TEMPLATE_NOT_FOUND";
  /** The template name. */
  readonly template: string;
  /** Every file path that was tried. */
  readonly searched: readonly string[];

  constructor(template: string, searched: readonly string[]) {
    super(
      `Template "${template}" not found; searched:\n${searched.map((file) => `  ${file}`).join("\n")}`,
    );
    this.template = template;
    this.searched = searched;
  }
}

/** A model answer that could not be turned into the requested shape after every attempt. */
export class ValidationFailedError extends FabricatioError {
  override readonly code = "FABRICATIO_VALIDATION_FAILED";
  /** How many answers were tried. */
  readonly attempts: number;

  constructor(attempts: number, cause?: unknown) {
    super(`No valid answer after ${attempts} attempt(s)`, { cause });
    this.attempts = attempts;
  }
}

/** An MCP tool answered with `isError`. */
export class ToolReportedError extends FabricatioError {
  override readonly code = "FABRICATIO_TOOL_ERROR";

  constructor(server: string, tool: string) {
    super(`Tool ${tool} on ${server} reported an error`);
  }
}

/**
 * A file named on the command line does not exist. The CLI exits 1, as for every subcommand's
 * missing input (stubgen, deck).
 */
export class InputNotFoundError extends FabricatioError {
  override readonly code = "FABRICATIO_INPUT_NOT_FOUND";
  /** The path that was looked for. */
  readonly path: string;

  constructor(path: string) {
    super(`no such file: ${path}`);
    this.path = path;
  }
}

/** Bad command-line input: the CLI exits with code 2. */
export class UsageError extends FabricatioError {
  override readonly code = "FABRICATIO_USAGE";
}
