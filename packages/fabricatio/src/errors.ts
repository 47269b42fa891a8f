import type { ChatMessage } from "@fabricatio/thryd";
import type { ToolLoopStep } from "./tools/types.js";

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

/** A template helper was called with parameters it cannot take (the cause of a render error). */
export class TemplateHelperError extends FabricatioError {
  override readonly code = "FABRICATIO_TEMPLATE_HELPER";
  /** The helper's name. */
  readonly helper: string;

  constructor(helper: string, problem: string) {
    super(`Helper "${helper}" ${problem}`);
    this.helper = helper;
  }
}

/** A template could not be rendered: a syntax error, a helper's error, a missing helper. */
export class TemplateRenderError extends FabricatioError {
  override readonly code = "FABRICATIO_TEMPLATE_RENDER";
  /** The template name, or `<string>` for `renderString`. */
  readonly template: string;

  constructor(template: string, cause: unknown) {
    super(
      `Template "${template}" failed to render: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.template = template;
  }
}

/** `pick` got no valid choice from the model after every attempt (the original raises too). */
export class NothingPickedError extends FabricatioError {
  override readonly code = "FABRICATIO_NOTHING_PICKED";
  /** The names the model could choose from. */
  readonly choices: readonly string[];

  constructor(choices: readonly string[]) {
    super(`No valid choice was picked among ${JSON.stringify(choices)}`);
    this.choices = choices;
  }
}

/** `choose`, `pick` or `enumChoose` got two options of the same name. */
export class DuplicateChoiceError extends FabricatioError {
  override readonly code = "FABRICATIO_DUPLICATE_CHOICE";
  /** The names given more than once. */
  readonly duplicates: readonly string[];

  constructor(duplicates: readonly string[]) {
    super(`Choices must have distinct names; given more than once: ${duplicates.join(", ")}`);
    this.duplicates = duplicates;
  }
}

/** `rerank` got an empty or blank query (the original raises too). */
export class EmptyRerankQueryError extends FabricatioError {
  override readonly code = "FABRICATIO_EMPTY_RERANK_QUERY";

  constructor() {
    super("The rerank query must be a non-empty, non-blank string");
  }
}

/** A combination of cache options the router cannot honour. */
export class UnsupportedCacheModeError extends FabricatioError {
  override readonly code = "FABRICATIO_CACHE_MODE_UNSUPPORTED";

  constructor(detail: string) {
    super(`Unsupported cache options: ${detail}`);
  }
}

/** An option of a call is out of range (e.g. `maxValidations` below 1). */
export class InvalidOptionError extends FabricatioError {
  override readonly code = "FABRICATIO_INVALID_OPTION";
  /** The option's name. */
  readonly option: string;

  constructor(option: string, problem: string) {
    super(`Option ${option} ${problem}`);
    this.option = option;
  }
}

/**
 * `runTools` made `maxSteps` model calls and the last answer still called tools. Those calls
 * were run, so `messages` is a complete conversation: pass it to `runTools` again to go on.
 */
export class ToolLoopMaxStepsError extends FabricatioError {
  override readonly code = "FABRICATIO_TOOL_LOOP_MAX_STEPS";
  /** The limit that was reached. */
  readonly maxSteps: number;
  /** The conversation so far, tool results of the last step included. */
  readonly messages: readonly ChatMessage[];
  /** Every step, as `onStep` saw them. */
  readonly steps: readonly ToolLoopStep[];

  constructor(maxSteps: number, messages: readonly ChatMessage[], steps: readonly ToolLoopStep[]) {
    super(
      `The tool loop reached maxSteps (${maxSteps}) and the model still called tools; raise maxSteps or continue from error.messages`,
    );
    this.maxSteps = maxSteps;
    this.messages = messages;
    this.steps = steps;
  }
}

/**
 * `runTools` was cancelled through its `signal`: no further model call was made and running
 * tools were signalled. `messages` ends with the last answer (its tool calls unanswered when
 * the abort came while they ran).
 */
export class ToolLoopAbortedError extends FabricatioError {
  override readonly code = "FABRICATIO_TOOL_LOOP_ABORTED";
  /** The conversation up to the abort. */
  readonly messages: readonly ChatMessage[];
  /** The steps completed before the abort. */
  readonly steps: readonly ToolLoopStep[];

  constructor(
    what: string,
    messages: readonly ChatMessage[],
    steps: readonly ToolLoopStep[],
    cause?: unknown,
  ) {
    super(`The tool loop was aborted ${what}`, { cause });
    this.messages = messages;
    this.steps = steps;
  }
}

/** `runTools` named an MCP server that the `[mcp]` config section does not have. */
export class McpServerNotConfiguredError extends FabricatioError {
  override readonly code = "FABRICATIO_MCP_SERVER_NOT_CONFIGURED";
  /** The name asked for. */
  readonly server: string;
  /** The configured names. */
  readonly configured: readonly string[];

  constructor(server: string, configured: readonly string[]) {
    super(
      `MCP server "${server}" is not configured; configured: ${configured.length > 0 ? configured.join(", ") : "none (add [mcp.servers.<name>] or [ext.tool] mcp_servers to fabricatio.toml)"}`,
    );
    this.server = server;
    this.configured = configured;
  }
}
