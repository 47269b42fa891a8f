import { ProviderCreateError } from "../errors/router-errors.js";
import type { Provider } from "../types.js";
import { AnthropicProvider } from "./anthropic-provider.js";
import { splitKeys } from "./api-key-options.js";
import { DummyProvider } from "./dummy-provider.js";
import { GeminiProvider } from "./gemini-provider.js";
import { OPENAI_BASE_URL, OpenAICompatibleProvider } from "./openai-compatible-provider.js";

/** The provider types `createProvider` builds, as spelled in `routing.providers[].ptype`. */
export type ProviderType = "OpenAI" | "OpenAICompatible" | "Anthropic" | "Gemini" | "Dummy";

/** The provider types `createProvider` accepts. */
export const PROVIDER_TYPES: readonly ProviderType[] = [
  "OpenAI",
  "OpenAICompatible",
  "Anthropic",
  "Gemini",
  "Dummy",
];

/** Fields of `createProvider`; which are required depends on the type. */
export interface CreateProviderOptions {
  /**
   * Provider name; required for `OpenAICompatible`; defaults to `anthropic`, `gemini` and
   * `dummy`; always `openai` for `OpenAI`.
   */
  name?: string;
  /**
   * API key, or several rotated as a key pool; required for `OpenAICompatible`. `OpenAI`,
   * `Anthropic` and `Gemini` fall back to `OPENAI_API_KEY`, `ANTHROPIC_API_KEY` and
   * `GEMINI_API_KEY` (comma-separated for several keys).
   */
  apiKey?: string | readonly string[];
  /**
   * Base URL; required for `OpenAICompatible`, optional for `OpenAI`, `Anthropic` and `Gemini`
   * (a proxy or a regional endpoint), which fall back to the official SDKs' variables
   * `OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL` and `GOOGLE_GEMINI_BASE_URL`, then to the official
   * endpoint; ignored by `Dummy`.
   */
  endpoint?: string;
  /** Rerank endpoint path for OpenAI-compatible providers. @default "rerank" */
  rerankPath?: string;
  /** How long a rejected key of a pool sits out, in ms. @default 60000 */
  keyCooldownMs?: number;
  /** Environment read for the `*_API_KEY` and `*_BASE_URL` fallbacks. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Longest wait for an answer's headers (for a JSON answer also the longest silence inside its
   * body), in ms; 0 turns it off. @default 600000
   */
  requestTimeoutMs?: number;
  /** Longest silence between two chunks of a streamed answer, in ms; 0 turns it off. @default 60000 */
  streamIdleTimeoutMs?: number;
}

const hasKey = (apiKey: CreateProviderOptions["apiKey"]) =>
  typeof apiKey === "string" ? apiKey.length > 0 : (apiKey?.length ?? 0) > 0;

/**
 * Builds a provider from configuration, as the umbrella does from `routing.providers`.
 * @throws {ProviderCreateError} for an unknown type, or a missing name, key or endpoint
 */
export function createProvider(type: ProviderType, options: CreateProviderOptions = {}): Provider {
  const { apiKey, keyCooldownMs, requestTimeoutMs, streamIdleTimeoutMs } = options;
  const transport = { keyCooldownMs, requestTimeoutMs, streamIdleTimeoutMs };
  const env = options.env ?? process.env;
  switch (type) {
    case "OpenAI": {
      const keys = hasKey(apiKey)
        ? (apiKey as string | readonly string[])
        : splitKeys(env.OPENAI_API_KEY);
      if (keys.length === 0) throw new ProviderCreateError("OpenAI API key not provided!");
      return new OpenAICompatibleProvider({
        // Always "openai", as before: configs may carry a name the deployments do not use.
        name: "openai",
        apiKey: keys,
        baseUrl: options.endpoint || env.OPENAI_BASE_URL || OPENAI_BASE_URL,
        ...transport,
      });
    }
    case "OpenAICompatible":
      return new OpenAICompatibleProvider({
        name: options.name ?? "",
        apiKey: apiKey ?? "",
        baseUrl: options.endpoint ?? "",
        rerankPath: options.rerankPath,
        ...transport,
      });
    case "Anthropic": {
      const baseUrl = options.endpoint || env.ANTHROPIC_BASE_URL;
      const fields = { name: options.name, baseUrl, ...transport };
      return hasKey(apiKey)
        ? new AnthropicProvider({ ...fields, apiKey: apiKey as string | readonly string[] })
        : AnthropicProvider.fromEnv(env, fields);
    }
    case "Gemini": {
      const baseUrl = options.endpoint || env.GOOGLE_GEMINI_BASE_URL;
      const fields = { name: options.name, baseUrl, ...transport };
      return hasKey(apiKey)
        ? new GeminiProvider({ ...fields, apiKey: apiKey as string | readonly string[] })
        : GeminiProvider.fromEnv(env, fields);
    }
    case "Dummy":
      return new DummyProvider(options.name);
    default:
      throw new ProviderCreateError(
        `Unknown provider type "${String(type)}"; expected one of ${PROVIDER_TYPES.join(", ")}`,
      );
  }
}
