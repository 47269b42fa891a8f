import type {
  AssistantMessage,
  ChatMessage,
  FinishReason,
  FunctionTool,
  ResponseFormat,
  ToolCall,
  ToolChoice,
} from "./chat/types.js";

export type {
  AssistantMessage,
  ChatMessage,
  ContentPart,
  FilePart,
  FinishReason,
  FunctionTool,
  ImagePart,
  JsonSchema,
  ResponseFormat,
  SystemMessage,
  TextPart,
  ToolCall,
  ToolChoice,
  ToolMessage,
  UserMessage,
} from "./chat/types.js";

/** Token usage reported with every response, in the OpenAI field names. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Cost in USD at the deployment's configured `price`; absent when it has none. */
  cost?: number;
}

/** Cancellation, time limits and the sent signal of one call. */
export interface CallOptions {
  /**
   * Aborts the call. Through a router, the rate-limit reservation goes back only when the
   * request had not been sent yet (see `onSent`).
   */
  signal?: AbortSignal;
  /**
   * Time limit of one whole HTTP attempt (headers and body), in milliseconds; unset: only the
   * provider's own limits apply (`requestTimeoutMs`, 600000 by default, on the wait for headers
   * and inside a JSON body; `streamIdleTimeoutMs`, 60000, between chunks of a stream).
   */
  timeoutMs?: number;
  /**
   * Replaces the provider's `requestTimeoutMs` for this call: the longest wait for the answer's
   * headers, and for a JSON answer the longest silence inside its body, in ms; 0 turns it off.
   * @default the provider's `requestTimeoutMs`
   */
  requestTimeoutMs?: number;
  /**
   * Replaces the provider's `streamIdleTimeoutMs` for this call: the longest silence between
   * two chunks of a streamed answer, in ms; 0 turns it off.
   * @default the provider's `streamIdleTimeoutMs`
   */
  streamIdleTimeoutMs?: number;
  /**
   * Called once the request has been handed to a connected socket, i.e. once the provider may
   * have seen it; never called for a request that failed before (a refused connection, an
   * abort while it waited for a connection, a field the conversion refused). The router uses it
   * to decide whether a failed call still counts against the deployment's rate limit. A custom
   * `Model` that sends requests should call it (more than once is harmless).
   */
  onSent?: () => void;
}

/**
 * Sampling and output fields of a completion request. Every field that is set changes the cache
 * key; a field a provider cannot honour fails with `UnsupportedFeatureError`, never silently.
 */
export interface CompletionParameters {
  /** Sampling temperature. */
  temperature?: number;
  /** Nucleus sampling mass. */
  top_p?: number;
  /** Upper bound of completion tokens; also reserved against the deployment's TPM. */
  max_completion_tokens?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  /**
   * Reasoning effort: `reasoning_effort` for OpenAI-compatible APIs, a thinking budget for
   * Anthropic; non-standard values pass through verbatim where the API takes a string.
   */
  effort?: string;
  /** Functions the model may call. */
  tools?: readonly FunctionTool[];
  /** Whether and which tool the model must call. @default provider default ("auto" with tools) */
  tool_choice?: ToolChoice;
  /** Whether the model may call several tools in one turn. @default provider default (true) */
  parallel_tool_calls?: boolean;
  /** Free text, any JSON object, or JSON matching a schema (structured output). */
  response_format?: ResponseFormat;
  /** Up to 4 sequences that end the answer; not included in it. */
  stop?: string | readonly string[];
  /** Best-effort deterministic sampling where the provider supports it. */
  seed?: number;
  /** An id of the end user, for the provider's abuse monitoring. */
  user?: string;
}

/** The shorthand form: one user message, optionally with images. */
export interface MessageCompletionRequest extends CompletionParameters {
  /** The user message. */
  message: string;
  /** Images as data URIs (see `bytesToDataUri`) or URLs, sent with the message. */
  images?: readonly string[];
  messages?: undefined;
}

/** The conversation form: system prompt, history, tool calls and results. */
export interface MessagesCompletionRequest extends CompletionParameters {
  /** The conversation so far, oldest first, in OpenAI's chat shape. */
  messages: readonly ChatMessage[];
  message?: undefined;
  /** Not allowed here: put images in a user message as `image_url` parts. */
  images?: undefined;
}

/**
 * A chat completion request: exactly one of `message` (one user message, the shorthand) or
 * `messages` (a conversation). Both at once, or neither, is an `InvalidRequestError`.
 */
export type CompletionRequest = MessageCompletionRequest | MessagesCompletionRequest;

/** A completion answer. */
export interface CompletionResponse {
  /** The answer text; `""` when the model only called tools. */
  content: string;
  usage: Usage;
  /** Why the model stopped. */
  finish_reason: FinishReason;
  /** The tool calls of the answer, in the model's order; absent when there are none. */
  tool_calls?: ToolCall[];
  /** The answer as an assistant message, ready to append to the conversation. */
  message: AssistantMessage;
}

/**
 * One event of a streamed completion as the router yields it from `streamEvents`.
 * - `text`: a piece of the answer text.
 * - `tool_call_delta`: a fragment of tool call `index`; `id` and `name` come with its first
 *   fragment, `arguments` are pieces of the JSON text to concatenate.
 * - `finish`: the provider said the answer is complete; `response` is the whole answer, the
 *   same object the generator returns.
 */
export type CompletionStreamEvent =
  | { type: "text"; text: string }
  | { type: "tool_call_delta"; index: number; id?: string; name?: string; arguments: string }
  | { type: "finish"; finish_reason: FinishReason; usage: Usage; response: CompletionResponse };

/** An embedding request. */
export interface EmbeddingRequest {
  texts: readonly string[];
  /** Output dimensions, sent as `dimensions`. */
  ndim: number;
  /** Split the texts into chunks of at most this many, sent in parallel. Unset or 0: one call. */
  maxBatchEmbSize?: number;
}

/** Embedding vectors in the order of the request's texts. */
export interface EmbeddingResponse {
  embeddings: number[][];
  usage: Usage;
}

/** A rerank request. */
export interface RerankRequest {
  query: string;
  documents: readonly string[];
}

/** `[documentIndex, score]` pairs, best first; indices point into the request's `documents`. */
export type Ranking = [index: number, score: number];

/** A rerank answer. */
export interface RerankResponse {
  rankings: Ranking[];
  usage: Usage;
}

/** The request and response types of each model kind. */
export interface ModelKinds {
  completion: { request: CompletionRequest; response: CompletionResponse };
  embedding: { request: EmbeddingRequest; response: EmbeddingResponse };
  rerank: { request: RerankRequest; response: RerankResponse };
}

/** A model kind the router can route: `completion`, `embedding` or `rerank`. */
export type ModelKind = keyof ModelKinds;
/** The request type of a kind. */
export type RequestOf<K extends ModelKind> = ModelKinds[K]["request"];
/** The response type of a kind. */
export type ResponseOf<K extends ModelKind> = ModelKinds[K]["response"];

/** One model of one kind served by one provider. */
export interface Model<K extends ModelKind = ModelKind> {
  /** The model's kind. */
  readonly kind: K;
  /** The model name sent to the provider, e.g. `gpt-4o-mini`. */
  readonly name: string;
  /** The provider serving it. */
  readonly provider: Provider;
  /**
   * Sends one request.
   * @throws {ThrydError} subclasses: `ApiError`, `NetworkError`, `TimeoutError`, `ParseError`…
   */
  invoke(request: RequestOf<K>, options?: CallOptions): Promise<ResponseOf<K>>;
  /**
   * Streams a completion as events. Present only on completion models that can stream.
   * @throws {SseError} when the event stream breaks
   */
  stream?(request: RequestOf<K>, options?: CallOptions): AsyncIterable<StreamEvent>;
}

/**
 * One event of a model's completion stream, the contract between a model and the router:
 * - `delta`: a piece of answer text;
 * - `tool_call_delta`: a fragment of tool call `index` (`id` and `name` on its first fragment,
 *   `arguments` pieces to concatenate);
 * - `usage`: the token counts, at most once, before `finish`;
 * - `finish`: the provider's own end marker was seen, with its reason. A model yields it last
 *   and only then; a stream that ends without it is incomplete and the model throws
 *   `IncompleteResponseError` instead.
 */
export type StreamEvent =
  | { type: "delta"; text: string }
  | { type: "tool_call_delta"; index: number; id?: string; name?: string; arguments: string }
  | { type: "usage"; usage: Usage }
  | { type: "finish"; finish_reason: FinishReason };

/** A chat completion model. */
export type CompletionModel = Model<"completion">;
/** An embedding model. */
export type EmbeddingModel = Model<"embedding">;
/** A rerank model. */
export type RerankModel = Model<"rerank">;

/** An HTTP answer whose body is read as a byte stream (used for SSE). */
export interface StreamingResponse {
  /** Response headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** Body chunks as they arrive. */
  body: AsyncIterable<Uint8Array>;
}

/**
 * Sends requests to one LLM endpoint. Implementations never log or echo the API key and pool
 * their HTTP connections per endpoint and credential.
 */
export interface Provider {
  /** Identifier used in deployment ids (`<provider>/<model>`) and logs. */
  readonly name: string;
  /** Normalised base URL, always ending in `/`, e.g. `https://api.openai.com/v1/`. */
  readonly baseUrl: string;
  /** Headers sent with every request, including authorisation. Never log them. */
  authHeaders(): Record<string, string>;
  /**
   * POSTs JSON to `path`, resolved under `baseUrl`, and parses the JSON answer.
   * @throws {ApiError} on a non-2xx status; {NetworkError}, {TimeoutError}, {AbortedError},
   * {ParseError}
   */
  postJson<T>(path: string, body: unknown, options?: CallOptions): Promise<T>;
  /**
   * POSTs JSON to `path` and returns the answer's body as a stream, for SSE.
   * @throws {ApiError} on a non-2xx status (body read and truncated); {NetworkError}…
   */
  postStream(path: string, body: unknown, options?: CallOptions): Promise<StreamingResponse>;
  /**
   * GETs JSON from `path`.
   * @throws {ApiError}, {NetworkError}, {TimeoutError}, {ParseError}
   */
  getJson<T>(path: string, options?: CallOptions): Promise<T>;
  /** @throws {ModelNotSupportedError} when the provider serves no completion models */
  createCompletionModel(name: string): CompletionModel;
  /** @throws {ModelNotSupportedError} when the provider serves no embedding models */
  createEmbeddingModel(name: string): EmbeddingModel;
  /** @throws {ModelNotSupportedError} when the provider serves no rerank models */
  createRerankModel(name: string): RerankModel;
}
