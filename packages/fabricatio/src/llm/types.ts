import type { McpServerConfig } from "@fabricatio/mcp-manager";
import type {
  AssistantMessage,
  ChatMessage,
  CompletionRequest,
  CompletionResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  FinishReason,
  FunctionTool,
  RerankRequest,
  RerankResponse,
  ResponseFormat,
  ToolCall,
  ToolChoice,
  Usage,
} from "@fabricatio/thryd";
import type { ValueOf, ValueType } from "../parsing/value-type.js";

/**
 * How a call uses the answer cache. By default it reads the cache and writes a fresh answer back.
 * `noCache` skips the read and still writes the fresh answer (the original's `no_cache`, the
 * router's `invokeFresh`), so a corrected answer replaces a bad cached one; `cache: "off"` (or
 * `cacheRead: false, cacheWrite: false`) does neither.
 */
export interface CacheOptions {
  /** Skip the cache read; the fresh answer is still written. @default the section's `no_cache` */
  noCache?: boolean;
  /** `"off"`: neither read nor write the cache. @default "on" */
  cache?: "on" | "off";
  /** Read the cache. `false` with `cacheWrite: false` is `cache: "off"`. @default !noCache */
  cacheRead?: boolean;
  /**
   * Write the answer to the cache. Only `false` together with `cacheRead: false` is supported.
   * @default true
   */
  cacheWrite?: boolean;
}

/** An image to send with a question: a `data:` URI or URL, or raw bytes (sniffed, then a data URI). */
export type ImageInput = string | Uint8Array;

/**
 * Options of every completion: the group, the model parameters, cancellation and time limits.
 * Every model parameter defaults to the config's `[llm]` table.
 */
export interface CompletionOptions extends CacheOptions {
  /**
   * The completion group, or an agent variant (`tiny`…`plan`) resolved through `[agent]`; a
   * variant that is not configured falls through to `llm.send_to`, as in the original.
   * @default llm.send_to
   */
  sendTo?: string;
  temperature?: number;
  topP?: number;
  maxCompletionTokens?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Reasoning effort, sent as `reasoning_effort`. */
  effort?: string;
  /** Up to 4 sequences that end the answer (sent as `stop`). */
  stop?: string | readonly string[];
  /** Best-effort deterministic sampling where the provider supports it (sent as `seed`). */
  seed?: number;
  /** An id of the end user, for the provider's abuse monitoring (sent as `user`). */
  user?: string;
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Time limit of one HTTP attempt, in milliseconds. */
  timeoutMs?: number;
  /** Longest wait for rate-limit capacity before failing, in milliseconds. */
  maxWaitMs?: number;
}

/** Options of one question. */
export interface AskOptions extends CompletionOptions {
  /** Images: data URIs, URLs, or bytes (`Uint8Array`/`Buffer`) turned into data URIs. */
  images?: readonly ImageInput[];
  /** A system prompt sent before the history and the question. */
  system?: string;
  /** Earlier turns of the conversation, oldest first, sent between the system prompt and the question. */
  history?: readonly ChatMessage[];
}

/** Options of `chat`: the conversation is the call's argument; tools and the answer's format here. */
export interface ChatOptions extends CompletionOptions {
  /** Functions the model may call (sent as `tools`); `chat` does not run them, `runTools` does. */
  tools?: readonly FunctionTool[];
  /** Whether and which tool the model must call (sent as `tool_choice`). */
  toolChoice?: ToolChoice;
  /** Whether the model may call several tools in one turn (sent as `parallel_tool_calls`). */
  parallelToolCalls?: boolean;
  /** Free text, any JSON object, or JSON matching a schema (sent as `response_format`). */
  responseFormat?: ResponseFormat;
}

/** The answer of `chat`. */
export interface ChatResult {
  /** The answer text; `""` when the model only called tools. */
  content: string;
  /** The tool calls of the answer, in the model's order; empty when there are none. */
  toolCalls: ToolCall[];
  /** Why the model stopped: `stop`, `length` or `tool_calls`. */
  finishReason: FinishReason;
  /** The answer as an assistant message, ready to append to the conversation. */
  message: AssistantMessage;
  /** Token usage (and cost, when the deployment has a price) of the call. */
  usage: Usage;
}

/** Options of the validating helpers. */
export interface ValidateOptions<T> extends AskOptions {
  /** Answers tried before giving up; at least 1. @default 3 */
  maxValidations?: number;
  /** Returned when no answer validates; without it the helper resolves to `null`. */
  default?: T;
}

/** Options of `askList` and `askPathstr`. */
export interface ListOptions<V extends ValueType = "str"> extends ValidateOptions<ValueOf<V>[]> {
  /** Exactly this many items; 0 or unset: any number. */
  k?: number;
  /** Type of the items. @default "str" */
  valueType?: V;
}

/** Options of `askMapping`. */
export interface MappingOptions<V extends ValueType = "str">
  extends ValidateOptions<Record<string, ValueOf<V>>> {
  /** Exactly this many entries; 0 or unset: any number. */
  k?: number;
  /** What the keys must read as (they stay strings, as JSON keys are). @default "str" */
  keyType?: Exclude<ValueType, "float">;
  /** Type of the values. @default "str" */
  valueType?: V;
}

/** One option of `choose`/`pick`. */
export interface Choice {
  /** The name the model answers with. */
  readonly name: string;
  /** What the option is, shown to the model. @default name */
  readonly briefing?: string;
}

/** Options of `choose`. */
export interface ChooseOptions<C extends Choice> extends ValidateOptions<C[]> {
  /** Exactly this many names in the answer; 0 or unset: any number. */
  k?: number;
  /**
   * Whether `choice` counts as chosen by the answered `names` (the original's `is_included_fn`).
   * @default names.has(choice.name)
   */
  isIncluded?: (names: ReadonlySet<string>, choice: C) => boolean;
}

/**
 * A schema's JSON Schema, as Standard JSON Schema (`~standard.jsonSchema`) gives it: zod 4.2+
 * schemas have it. `target` is a JSON Schema draft such as `draft-2020-12`.
 */
export interface StandardJsonSchemaConverter {
  readonly input: (options: { target: string }) => Record<string, unknown>;
  readonly output: (options: { target: string }) => Record<string, unknown>;
}

/** A schema `askJson` validates with: zod schemas fit. */
export interface JsonSchemaLike<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
  /**
   * The JSON Schema of the answer: sent as `response_format` (native structured output) or shown
   * in the prompt. Without it, a Standard JSON Schema (zod's `~standard.jsonSchema`) is used.
   */
  jsonSchema?: () => unknown;
  /** Standard Schema properties; only `jsonSchema` is read here. */
  readonly "~standard"?: { readonly jsonSchema?: StandardJsonSchemaConverter };
}

/**
 * How `askJson` asks for JSON: `native` sends the schema as `response_format: json_schema`,
 * `prompt` puts it in the prompt and validates the answer, `auto` is native unless the group is
 * known not to support it (see the README).
 */
export type StructuredOutputMode = "auto" | "native" | "prompt";

/** Options of `askJson`. */
export interface JsonOptions<T> extends ValidateOptions<T> {
  /** @default "auto" */
  structuredOutput?: StructuredOutputMode;
  /** The schema's name on the wire (`response_format.json_schema.name`). @default "answer" */
  schemaName?: string;
}

/** Options of `embed`. Defaults come from the config's `[embedding]` table. */
export interface EmbedOptions extends CacheOptions {
  sendTo?: string;
  ndim?: number;
  /** Texts per API call; larger inputs are split and sent in parallel. @default 10 */
  maxBatchEmbSize?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Options of `rerank`. Defaults come from the config's `[reranker]` table. */
export interface RerankOptions extends CacheOptions {
  sendTo?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Per-call options handed to a backend; `noCache` there means neither read nor write. */
export interface BackendCallOptions {
  noCache?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxWaitMs?: number;
}

/** One model kind's router: `invoke` reads and writes the cache, `invokeFresh` only writes. */
export interface CachedBackend<Request, Response> {
  invoke(group: string, request: Request, options: BackendCallOptions): Promise<Response>;
  invokeFresh(group: string, request: Request, options: BackendCallOptions): Promise<Response>;
}

/** The routers the facade sends its requests through (thryd routers fit). */
export interface LlmBackends {
  completion: CachedBackend<CompletionRequest, CompletionResponse> & {
    stream(
      group: string,
      request: CompletionRequest,
      options: BackendCallOptions,
    ): AsyncIterable<string>;
  };
  embedding: CachedBackend<EmbeddingRequest, Pick<EmbeddingResponse, "embeddings">>;
  rerank: CachedBackend<RerankRequest, Pick<RerankResponse, "rankings">>;
}

/** The parts of the configuration the facade reads. */
export interface LlmSettings {
  llm: {
    send_to?: string | null;
    no_cache?: boolean | null;
    temperature?: number | null;
    top_p?: number | null;
    max_completion_tokens?: number | null;
    presence_penalty?: number | null;
    frequency_penalty?: number | null;
    effort?: string | null;
  };
  embedding: {
    send_to?: string | null;
    no_cache?: boolean | null;
    ndim?: number | null;
    max_batch_emb_size?: number | null;
  };
  reranker: { send_to?: string | null; no_cache?: boolean | null };
  general: { use_json_repair?: boolean | null };
  /** The `[templates]` table: `<name>_template` → template name. */
  templates: Readonly<Record<string, string | undefined>>;
  /**
   * Turns an agent variant into its configured group (`undefined` when that variant is not
   * configured); other names pass through.
   */
  resolveSendTo(preferred: string | undefined): string | undefined;
  /** The MCP servers `runTools` may start by name (the `[mcp]` section); absent: none. */
  mcp?: McpSettings;
}

/** The MCP servers of the configuration, for `runTools`' server names. */
export interface McpSettings {
  /** Every configured server by name (`config.mcpServers()`). */
  servers(): Readonly<Record<string, McpServerConfig>>;
  /** Time limit of one connection, in ms. @default 30000 (the manager's) */
  connectTimeoutMs?: number;
  /** Environment the servers' commands are looked up and started in. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}
