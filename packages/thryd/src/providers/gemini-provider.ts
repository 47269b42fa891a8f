import { ModelNotSupportedError, ProviderCreateError } from "../errors/router-errors.js";
import type { ApiError } from "../errors/transport-errors.js";
import { GeminiCompletionModel } from "../models/gemini-completion-model.js";
import { GeminiEmbeddingModel } from "../models/gemini-embedding-model.js";
import type { CompletionModel, EmbeddingModel, RerankModel } from "../types.js";
import { type ApiKeyOptions, splitKeys } from "./api-key-options.js";
import { HttpProvider } from "./http-provider.js";

/** The official Gemini endpoint; requests go to `<base>/v1beta/models/<model>:<method>`. */
export const GEMINI_BASE_URL = "https://generativelanguage.googleapis.com";

/** Options of {@link GeminiProvider}. */
export interface GeminiProviderOptions extends ApiKeyOptions {
  /** Provider name used in deployment ids. @default "gemini" */
  name?: string;
  /** Base URL without `/v1beta`, with or without a trailing slash. @default GEMINI_BASE_URL */
  baseUrl?: string;
}

// Google answers a bad key with 400 INVALID_ARGUMENT / API_KEY_INVALID, not 401.
const isKeyRejection = (error: ApiError) =>
  error.status === 401 ||
  error.status === 429 ||
  (error.status === 400 && error.body.includes("API_KEY_INVALID"));

/**
 * A provider for Google's native Gemini API (`generateContent`, `streamGenerateContent`,
 * `batchEmbedContents`). Keys are sent as `x-goog-api-key`, never in the URL. Serves
 * completion and embedding models; Gemini has no rerank endpoint.
 */
export class GeminiProvider extends HttpProvider {
  /** @throws {ProviderCreateError} when the key is missing or the URL is invalid */
  constructor(options: GeminiProviderOptions) {
    const headers = { ...options.headers };
    super(options.name || "gemini", {
      apiKey: options.apiKey,
      baseUrl: options.baseUrl || GEMINI_BASE_URL,
      headersFor: (key) => ({ ...headers, "x-goog-api-key": key }),
      keyCooldownMs: options.keyCooldownMs,
      now: options.now,
      requestTimeoutMs: options.requestTimeoutMs,
      streamIdleTimeoutMs: options.streamIdleTimeoutMs,
      isKeyRejection,
    });
  }

  /**
   * The provider configured as the official SDK (`@google/genai`) is: its key(s) from
   * `GEMINI_API_KEY` (several: comma-separated), and unless `options.baseUrl` is given, the base
   * URL from `GOOGLE_GEMINI_BASE_URL` or else {@link GEMINI_BASE_URL}.
   * @throws {ProviderCreateError} when the key variable is unset or empty
   */
  static fromEnv(
    env: Readonly<Record<string, string | undefined>> = process.env,
    options: Omit<GeminiProviderOptions, "apiKey"> = {},
  ): GeminiProvider {
    const keys = splitKeys(env.GEMINI_API_KEY);
    if (keys.length === 0) throw new ProviderCreateError("Gemini API key not provided!");
    return new GeminiProvider({
      ...options,
      baseUrl: options.baseUrl || env.GOOGLE_GEMINI_BASE_URL,
      apiKey: keys,
    });
  }

  createCompletionModel(name: string): CompletionModel {
    return new GeminiCompletionModel(name, this);
  }

  createEmbeddingModel(name: string): EmbeddingModel {
    return new GeminiEmbeddingModel(name, this);
  }

  /** @throws {ModelNotSupportedError} always */
  createRerankModel(name: string): RerankModel {
    throw new ModelNotSupportedError(name, this.name, "rerank");
  }
}
