/** Token usage reported with every response, in the OpenAI field names. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Cost in USD at the deployment's configured `price`; absent when it has none. */
  cost?: number;
}

/** Cancellation and time limit of one call. */
export interface CallOptions {
  /** Aborts the call; the router releases its rate-limit reservation. */
  signal?: AbortSignal;
  /** Time limit of one HTTP attempt, in milliseconds. No limit when unset. */
  timeoutMs?: number;
}

/** A chat completion request. Every field but `message` changes the cache key when set. */
export interface CompletionRequest {
  /** The user message. */
  message: string;
  /** Images as data URIs (see `bytesToDataUri`) or URLs, sent as `image_url` content parts. */
  images?: readonly string[];
  /** Sampling temperature. */
  temperature?: number;
  /** Nucleus sampling mass. */
  top_p?: number;
  /** Upper bound of completion tokens; also reserved against the deployment's TPM. */
  max_completion_tokens?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  /** Sent as `reasoning_effort`; non-standard values pass through verbatim. */
  effort?: string;
}

/** A completion answer. */
export interface CompletionResponse {
  content: string;
  usage: Usage;
}

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

/** One event of a streamed completion: a text delta, or the usage at the end. */
export type StreamEvent = { type: "delta"; text: string } | { type: "usage"; usage: Usage };

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
