import { ProviderCreateError } from "../errors/router-errors.js";
import { ParseError } from "../errors/transport-errors.js";
import { OpenAICompletionModel } from "../models/openai-completion-model.js";
import { OpenAIEmbeddingModel } from "../models/openai-embedding-model.js";
import { OpenAIRerankModel } from "../models/openai-rerank-model.js";
import type {
  CallOptions,
  CompletionModel,
  EmbeddingModel,
  Provider,
  RerankModel,
  StreamingResponse,
} from "../types.js";
import { normalizeBaseUrl, resolveUnder } from "./base-url.js";
import { getHttpAgent } from "./http-pool.js";
import { type HttpRequest, type HttpTarget, sendHttp, toTarget } from "./http-request.js";

/** The official OpenAI endpoint. */
export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** Options of {@link OpenAICompatibleProvider}. */
export interface OpenAICompatibleProviderOptions {
  /** Provider name used in deployment ids: `<name>/<model>`. */
  name: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never logged. */
  apiKey: string;
  /** Base URL, with or without a trailing slash, e.g. `https://api.example.com/v1`. */
  baseUrl: string;
  /** Path of the rerank endpoint under the base URL. @default "rerank" */
  rerankPath?: string;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/** A provider for the OpenAI API or any API that speaks it (vLLM, LocalAI, Azure, …). */
export class OpenAICompatibleProvider implements Provider {
  readonly name: string;
  readonly baseUrl: string;
  /** Path of the rerank endpoint under the base URL. */
  readonly rerankPath: string;
  readonly #apiKey: string;
  readonly #extraHeaders: Record<string, string>;
  readonly #targets = new Map<string, HttpTarget>();
  #headers: Record<string, string> | undefined;

  /** @throws {ProviderCreateError} when a field is missing or the URL is invalid */
  constructor(options: OpenAICompatibleProviderOptions) {
    if (!options.name) throw new ProviderCreateError("Name not provided!");
    if (!options.apiKey) throw new ProviderCreateError("API key not provided!");
    if (!options.baseUrl) throw new ProviderCreateError("Endpoint not provided!");
    this.name = options.name;
    this.#apiKey = options.apiKey;
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.rerankPath = options.rerankPath ?? "rerank";
    this.#extraHeaders = { ...options.headers };
  }

  /** The official OpenAI provider, named `openai`. */
  static openai(apiKey: string): OpenAICompatibleProvider {
    return new OpenAICompatibleProvider({ name: "openai", apiKey, baseUrl: OPENAI_BASE_URL });
  }

  /**
   * The official OpenAI provider with the key from `OPENAI_API_KEY`.
   * @throws {ProviderCreateError} when the variable is unset or empty
   */
  static openaiFromEnv(
    env: Readonly<Record<string, string | undefined>> = process.env,
  ): OpenAICompatibleProvider {
    const apiKey = env.OPENAI_API_KEY;
    if (!apiKey) throw new ProviderCreateError("OpenAI API key not provided!");
    return OpenAICompatibleProvider.openai(apiKey);
  }

  authHeaders(): Record<string, string> {
    return { ...this.#extraHeaders, authorization: `Bearer ${this.#apiKey}` };
  }

  // Resolved URLs and the header set are computed once: they sit on every request's hot path.
  #target(path: string): HttpTarget {
    let target = this.#targets.get(path);
    if (!target) {
      target = toTarget(resolveUnder(this.baseUrl, path));
      this.#targets.set(path, target);
    }
    return target;
  }

  #request(method: HttpRequest["method"], path: string, body: unknown, options?: CallOptions) {
    const target = this.#target(path);
    this.#headers ??= {
      ...this.authHeaders(),
      accept: "application/json",
      "content-type": "application/json",
    };
    return sendHttp({
      agent: getHttpAgent(target.origin, this.#apiKey),
      target,
      method,
      headers: this.#headers,
      body,
      options,
    });
  }

  async #json<T>(
    method: HttpRequest["method"],
    path: string,
    body: unknown,
    options?: CallOptions,
  ) {
    const answer = await this.#request(method, path, body, options);
    let text: string;
    try {
      text = await answer.body.text();
    } catch (error) {
      throw answer.mapError(error);
    } finally {
      answer.done();
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new ParseError(`the JSON answer of ${path} from provider "${this.name}"`, error);
    }
  }

  postJson<T>(path: string, body: unknown, options?: CallOptions): Promise<T> {
    return this.#json<T>("POST", path, body, options);
  }

  getJson<T>(path: string, options?: CallOptions): Promise<T> {
    return this.#json<T>("GET", path, undefined, options);
  }

  async postStream(path: string, body: unknown, options?: CallOptions): Promise<StreamingResponse> {
    const answer = await this.#request("POST", path, body, options);
    async function* chunks(): AsyncIterable<Uint8Array> {
      try {
        for await (const chunk of answer.body) yield chunk;
      } catch (error) {
        throw answer.mapError(error);
      } finally {
        answer.done();
        if (!answer.body.destroyed) answer.body.destroy();
      }
    }
    return { headers: answer.headers, body: chunks() };
  }

  createCompletionModel(name: string): CompletionModel {
    return new OpenAICompletionModel(name, this);
  }

  createEmbeddingModel(name: string): EmbeddingModel {
    return new OpenAIEmbeddingModel(name, this);
  }

  createRerankModel(name: string): RerankModel {
    return new OpenAIRerankModel(name, this, this.rerankPath);
  }
}
