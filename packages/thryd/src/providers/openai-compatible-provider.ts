import { ProviderCreateError } from "../errors/router-errors.js";
import { OpenAICompletionModel } from "../models/openai-completion-model.js";
import { OpenAIEmbeddingModel } from "../models/openai-embedding-model.js";
import { OpenAIRerankModel } from "../models/openai-rerank-model.js";
import type { CompletionModel, EmbeddingModel, RerankModel } from "../types.js";
import { type ApiKeyOptions, splitKeys } from "./api-key-options.js";
import { HttpProvider } from "./http-provider.js";

/** The official OpenAI endpoint. */
export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** Options of {@link OpenAICompatibleProvider}. */
export interface OpenAICompatibleProviderOptions extends ApiKeyOptions {
  /** Provider name used in deployment ids: `<name>/<model>`. */
  name: string;
  /** Base URL, with or without a trailing slash, e.g. `https://api.example.com/v1`. */
  baseUrl: string;
  /** Path of the rerank endpoint under the base URL. @default "rerank" */
  rerankPath?: string;
}

/**
 * A provider for the OpenAI API or any API that speaks it (vLLM, LocalAI, Azure, …). Keys are
 * sent as `Authorization: Bearer <key>`.
 */
export class OpenAICompatibleProvider extends HttpProvider {
  /** Path of the rerank endpoint under the base URL. */
  readonly rerankPath: string;

  /** @throws {ProviderCreateError} when a field is missing or the URL is invalid */
  constructor(options: OpenAICompatibleProviderOptions) {
    if (!options.name) throw new ProviderCreateError("Name not provided!");
    const extraHeaders = { ...options.headers };
    super(options.name, {
      apiKey: options.apiKey,
      baseUrl: options.baseUrl,
      headersFor: (key) => ({ ...extraHeaders, authorization: `Bearer ${key}` }),
      keyCooldownMs: options.keyCooldownMs,
      now: options.now,
      requestTimeoutMs: options.requestTimeoutMs,
      streamIdleTimeoutMs: options.streamIdleTimeoutMs,
    });
    this.rerankPath = options.rerankPath ?? "rerank";
  }

  /**
   * The official OpenAI provider, named `openai`, at {@link OPENAI_BASE_URL}.
   * @throws {ProviderCreateError} when the key is missing (an unset variable passed as `undefined`)
   */
  static openai(apiKey: string | readonly string[]): OpenAICompatibleProvider {
    return new OpenAICompatibleProvider({ name: "openai", apiKey, baseUrl: OPENAI_BASE_URL });
  }

  /**
   * The official OpenAI provider, named `openai`, configured as the official SDK is: the key from
   * `OPENAI_API_KEY` (several: comma-separated), the base URL from `OPENAI_BASE_URL` (a proxy, a
   * local server) or else {@link OPENAI_BASE_URL}.
   * @throws {ProviderCreateError} when the key variable is unset or empty
   */
  static openaiFromEnv(
    env: Readonly<Record<string, string | undefined>> = process.env,
  ): OpenAICompatibleProvider {
    const keys = splitKeys(env.OPENAI_API_KEY);
    if (keys.length === 0) throw new ProviderCreateError("OpenAI API key not provided!");
    return new OpenAICompatibleProvider({
      name: "openai",
      apiKey: keys,
      baseUrl: env.OPENAI_BASE_URL || OPENAI_BASE_URL,
    });
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
