import { ModelNotSupportedError, ProviderCreateError } from "../errors/router-errors.js";
import { AnthropicCompletionModel } from "../models/anthropic-completion-model.js";
import { ANTHROPIC_API_VERSION } from "../models/anthropic-request.js";
import type { CompletionModel, EmbeddingModel, RerankModel } from "../types.js";
import { type ApiKeyOptions, splitKeys } from "./api-key-options.js";
import { HttpProvider } from "./http-provider.js";

/** The official Anthropic endpoint; requests go to `<base>/v1/messages`. */
export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";

export { ANTHROPIC_API_VERSION } from "../models/anthropic-request.js";

/** Options of {@link AnthropicProvider}. */
export interface AnthropicProviderOptions extends ApiKeyOptions {
  /** Provider name used in deployment ids. @default "anthropic" */
  name?: string;
  /** Base URL without `/v1`, with or without a trailing slash. @default ANTHROPIC_BASE_URL */
  baseUrl?: string;
  /** Sent as `anthropic-version`. @default "2023-06-01" */
  apiVersion?: string;
  /** `max_tokens` when a request sets no `max_completion_tokens` (the API requires one). @default 4096 */
  defaultMaxTokens?: number;
}

/**
 * A provider for Anthropic's native Messages API. Keys are sent as `x-api-key`. Serves
 * completion models only: Anthropic has no embedding or rerank endpoint.
 */
export class AnthropicProvider extends HttpProvider {
  readonly #defaultMaxTokens: number | undefined;
  readonly #apiVersion: string;

  /** @throws {ProviderCreateError} when the key is missing or the URL is invalid */
  constructor(options: AnthropicProviderOptions) {
    const apiVersion = options.apiVersion ?? ANTHROPIC_API_VERSION;
    const headers = { ...options.headers, "anthropic-version": apiVersion };
    super(options.name || "anthropic", {
      apiKey: options.apiKey,
      baseUrl: options.baseUrl || ANTHROPIC_BASE_URL,
      headersFor: (key) => ({ ...headers, "x-api-key": key }),
      keyCooldownMs: options.keyCooldownMs,
      now: options.now,
      requestTimeoutMs: options.requestTimeoutMs,
      streamIdleTimeoutMs: options.streamIdleTimeoutMs,
    });
    this.#defaultMaxTokens = options.defaultMaxTokens;
    this.#apiVersion = apiVersion;
  }

  /**
   * The provider configured as the official SDK is: its key(s) from `ANTHROPIC_API_KEY` (several:
   * comma-separated), and unless `options.baseUrl` is given, the base URL from
   * `ANTHROPIC_BASE_URL` or else {@link ANTHROPIC_BASE_URL}.
   * @throws {ProviderCreateError} when the key variable is unset or empty
   */
  static fromEnv(
    env: Readonly<Record<string, string | undefined>> = process.env,
    options: Omit<AnthropicProviderOptions, "apiKey"> = {},
  ): AnthropicProvider {
    const keys = splitKeys(env.ANTHROPIC_API_KEY);
    if (keys.length === 0) throw new ProviderCreateError("Anthropic API key not provided!");
    return new AnthropicProvider({
      ...options,
      baseUrl: options.baseUrl || env.ANTHROPIC_BASE_URL,
      apiKey: keys,
    });
  }

  createCompletionModel(name: string): CompletionModel {
    return new AnthropicCompletionModel(name, this, this.#defaultMaxTokens, this.#apiVersion);
  }

  /** @throws {ModelNotSupportedError} always */
  createEmbeddingModel(name: string): EmbeddingModel {
    throw new ModelNotSupportedError(name, this.name, "embedding");
  }

  /** @throws {ModelNotSupportedError} always */
  createRerankModel(name: string): RerankModel {
    throw new ModelNotSupportedError(name, this.name, "rerank");
  }
}
