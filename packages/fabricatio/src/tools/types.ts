// The tool loop's contract: what a caller passes as tools, what it hears while the loop runs, and
// what it gets back. Type-only: no runtime code lives here.
import type { ChatMessage, FunctionTool, JsonSchema, ToolChoice, Usage } from "@fabricatio/thryd";
import type { AskOptions, ChatResult } from "../llm/types.js";

/** One problem a Standard Schema found in a value. */
export interface StandardIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[];
}

/** The result of a Standard Schema's `validate`. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardIssue[] };

/**
 * A schema with Standard Schema validation and a Standard JSON Schema (zod 4.2+ schemas): it
 * validates a tool's arguments and gives the JSON Schema the model sees.
 */
export interface StandardJsonSchema<Output = unknown> {
  readonly "~standard": {
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly jsonSchema: {
      readonly input: (options: { target: string }) => Record<string, unknown>;
    };
    readonly types?: { readonly output: Output } | undefined;
  };
}

/** The arguments type a schema validates to: its Standard Schema output, else a plain object. */
export type ToolArguments<S> =
  S extends StandardJsonSchema<infer Output> ? Output : Record<string, unknown>;

/** What a running tool receives besides its arguments. */
export interface ToolExecutionContext {
  /**
   * Fires when the loop is cancelled or the tool's time limit passes: stop the work. The loop
   * does not wait for a tool that ignores it.
   */
  readonly signal: AbortSignal;
  /** The id of the model's tool call. */
  readonly toolCallId: string;
}

/**
 * A function the model may call. The arguments are validated against `parameters` before
 * `execute` runs; a validation failure or a thrown error goes back to the model as an error
 * result. The return value is sent as is when a string, else as JSON.
 */
export interface ToolDefinition<Args = Record<string, unknown>> {
  /** `^[a-zA-Z0-9_-]{1,64}$`. */
  readonly name: string;
  /** What the tool does, shown to the model. */
  readonly description?: string;
  /**
   * The arguments: a JSON Schema object, or a schema with Standard JSON Schema (zod).
   * @default { type: "object", properties: {} }
   */
  readonly parameters?: JsonSchema | StandardJsonSchema<Args>;
  execute(args: Args, context: ToolExecutionContext): unknown;
}

/**
 * MCP servers whose tools the loop offers: an `McpManager` of @fabricatio/mcp-manager fits
 * (every connected server is used).
 */
export interface McpToolProvider {
  serverList(): string[];
  listTools(
    server: string,
  ): Promise<
    readonly { name: string; description?: string; inputSchema: Record<string, unknown> }[]
  >;
  callTool(
    server: string,
    name: string,
    args?: Record<string, unknown>,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<unknown>;
}

/**
 * Where the loop's tools come from: a function tool, an MCP manager (all its servers' tools), or
 * the name of a server in the config's `[mcp]` section (started for the run, closed after).
 */
export type ToolSource = ToolDefinition<unknown> | McpToolProvider | string;

/** A tool call as it starts. */
export interface ToolCallStart {
  /** The step (1-based model call) that asked for it. */
  readonly step: number;
  readonly id: string;
  readonly name: string;
  /** The arguments as the raw JSON text the model wrote. */
  readonly arguments: string;
  /** `function`, or `mcp:<server>`. */
  readonly source: string;
}

/** One tool call and what went back to the model. */
export interface ToolCallRecord extends ToolCallStart {
  /** The tool message's content. */
  readonly content: string;
  /**
   * The call failed: unknown tool, arguments that are not JSON or do not match the schema, a
   * thrown error, an MCP `isError` result or error, or the tool's time limit.
   */
  readonly isError: boolean;
  /** Wall time of the call, in milliseconds. */
  readonly durationMs: number;
}

/** One model call of the loop and the tools it ran. */
export interface ToolLoopStep {
  /** 1-based. */
  readonly index: number;
  readonly response: ChatResult;
  /** The tool calls of this step, in the model's order; empty on the final step. */
  readonly toolCalls: readonly ToolCallRecord[];
}

/** Options of `runTools`. */
export interface RunToolsOptions extends AskOptions {
  /** The tools the model may call. */
  tools: readonly ToolSource[];
  /**
   * Model calls at most; an answer that still calls tools after them ends the loop with
   * `ToolLoopMaxStepsError`. @default 8
   */
  maxSteps?: number;
  /** Time limit of one tool call, in milliseconds; past it the call is an error result. @default 60000 */
  toolTimeoutMs?: number;
  /** Whether and which tool the model must call (sent on every step). @default "auto" */
  toolChoice?: ToolChoice;
  /** Whether the model may call several tools in one turn. */
  parallelToolCalls?: boolean;
  /** Called as each tool call starts (calls of one step start together). */
  onToolCall?: (call: ToolCallStart) => void;
  /** Called after each step, its tool calls done. */
  onStep?: (step: ToolLoopStep) => void;
}

/** What `runTools` resolves to. */
export interface ToolLoopResult {
  /** The final answer's text. */
  content: string;
  /** Why the final answer stopped (`stop` or `length`). */
  finishReason: ChatResult["finishReason"];
  /** The final answer as an assistant message. */
  message: ChatResult["message"];
  /** The whole conversation: the input, every answer and tool result, the final answer. */
  messages: ChatMessage[];
  steps: ToolLoopStep[];
  /** Usage summed over every model call. */
  usage: Usage;
}

/** A tool ready for the loop: its wire definition, its argument check and its body. */
export interface ResolvedTool {
  readonly definition: FunctionTool;
  /** `function`, or `mcp:<server>`. */
  readonly source: string;
  /** Problems of the arguments (empty: valid) and the value to run with. */
  validate(args: unknown): Promise<{ problems: string[]; value: unknown }>;
  /** Runs the tool; `isError` marks a result the tool itself reported as failed. */
  execute(
    args: unknown,
    context: ToolExecutionContext & { timeoutMs: number },
  ): Promise<{ content: string; isError: boolean }>;
}
