/** Options of one question. Every model parameter defaults to the config's `[llm]` table. */
export interface AskOptions {
  /** The completion group, or an agent variant (`tiny`…`plan`) resolved through `[agent]`. @default llm.send_to */
  sendTo?: string;
  /** Skip the cache read (the fresh answer is still written). @default llm.no_cache */
  noCache?: boolean;
  temperature?: number;
  topP?: number;
  maxCompletionTokens?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Reasoning effort, sent as `reasoning_effort`. */
  effort?: string;
  /** Images as data URIs or URLs. */
  images?: readonly string[];
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Time limit of one HTTP attempt, in milliseconds. */
  timeoutMs?: number;
  /** Longest wait for rate-limit capacity before failing, in milliseconds. */
  maxWaitMs?: number;
}

/** Options of the validating helpers. */
export interface ValidateOptions<T> extends AskOptions {
  /** Answers tried before giving up. @default 3 */
  maxValidations?: number;
  /** Returned when no answer validates; without it the helper resolves to `null`. */
  default?: T;
}

/** One option of `choose`/`pick`. */
export interface Choice {
  /** The name the model answers with. */
  readonly name: string;
  /** What the option is, shown to the model. @default name */
  readonly briefing?: string;
}

/** A schema `askJson` validates with: zod schemas fit. */
export interface JsonSchemaLike<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
  /** The JSON Schema shown to the model, when the schema can give one. */
  jsonSchema?: () => unknown;
}

/** Options of `embed`. Defaults come from the config's `[embedding]` table. */
export interface EmbedOptions {
  sendTo?: string;
  ndim?: number;
  maxBatchEmbSize?: number;
  noCache?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Options of `rerank`. Defaults come from the config's `[reranker]` table. */
export interface RerankOptions {
  sendTo?: string;
  noCache?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

interface InvokeOptions {
  noCache?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxWaitMs?: number;
}

/** The routers the facade sends its requests through (thryd routers fit). */
export interface LlmBackends {
  completion: {
    invoke(
      group: string,
      request: { message: string },
      options: InvokeOptions,
    ): Promise<{ content: string }>;
    stream(
      group: string,
      request: { message: string },
      options: InvokeOptions,
    ): AsyncIterable<string>;
  };
  embedding: {
    invoke(
      group: string,
      request: { texts: readonly string[]; ndim: number; maxBatchEmbSize?: number },
      options: InvokeOptions,
    ): Promise<{ embeddings: number[][] }>;
  };
  rerank: {
    invoke(
      group: string,
      request: { query: string; documents: readonly string[] },
      options: InvokeOptions,
    ): Promise<{ rankings: [number, number][] }>;
  };
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
  /** Turns an agent variant into its configured group; other names pass through. */
  resolveSendTo(preferred: string | undefined): string | undefined;
}
