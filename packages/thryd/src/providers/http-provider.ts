import type {
  CallOptions,
  CompletionModel,
  EmbeddingModel,
  Provider,
  RerankModel,
  StreamingResponse,
} from "../types.js";
import { HttpClient, type HttpClientOptions } from "./http-client.js";
import type { KeyState } from "./key-pool.js";

/**
 * What the HTTP providers share: the transport (pooled agents, key pool, JSON and SSE) and the
 * `Provider` methods that only forward to it. Subclasses add headers and models.
 */
export abstract class HttpProvider implements Provider {
  readonly name: string;
  readonly baseUrl: string;
  readonly #http: HttpClient;

  /** @throws {ProviderCreateError} when a key or the base URL is missing or invalid */
  protected constructor(name: string, options: Omit<HttpClientOptions, "provider">) {
    this.name = name;
    this.#http = new HttpClient({ ...options, provider: name });
    this.baseUrl = this.#http.baseUrl;
  }

  /** Headers of the first key, authorisation included. Never log them. */
  authHeaders(): Record<string, string> {
    return this.#http.authHeaders();
  }

  /**
   * State of each API key for diagnostics: index, a last-4 hint, cooldown end and rejection
   * count. The keys themselves are never exposed.
   */
  keyStates(): KeyState[] {
    return this.#http.keyStates();
  }

  postJson<T>(path: string, body: unknown, options?: CallOptions): Promise<T> {
    return this.#http.postJson<T>(path, body, options);
  }

  getJson<T>(path: string, options?: CallOptions): Promise<T> {
    return this.#http.getJson<T>(path, options);
  }

  postStream(path: string, body: unknown, options?: CallOptions): Promise<StreamingResponse> {
    return this.#http.postStream(path, body, options);
  }

  abstract createCompletionModel(name: string): CompletionModel;
  abstract createEmbeddingModel(name: string): EmbeddingModel;
  abstract createRerankModel(name: string): RerankModel;
}
