import { ProviderCreateError } from "../errors/router-errors.js";
import type { Provider } from "../types.js";
import { DummyProvider } from "./dummy-provider.js";
import { OpenAICompatibleProvider } from "./openai-compatible-provider.js";

/** The provider types `createProvider` builds, as spelled in `routing.providers[].ptype`. */
export type ProviderType = "OpenAI" | "OpenAICompatible" | "Dummy";

/** The provider types `createProvider` accepts. */
export const PROVIDER_TYPES: readonly ProviderType[] = ["OpenAI", "OpenAICompatible", "Dummy"];

/** Fields of `createProvider`; which are required depends on the type. */
export interface CreateProviderOptions {
  /** Provider name; required for `OpenAICompatible`, `openai` for `OpenAI`, `dummy` for `Dummy`. */
  name?: string;
  /** API key; required for `OpenAICompatible`; `OpenAI` falls back to `OPENAI_API_KEY`. */
  apiKey?: string;
  /** Base URL; required for `OpenAICompatible`, ignored by the others. */
  endpoint?: string;
  /** Rerank endpoint path for OpenAI-compatible providers. @default "rerank" */
  rerankPath?: string;
  /** Environment read for `OPENAI_API_KEY`. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds a provider from configuration, as the umbrella does from `routing.providers`.
 * @throws {ProviderCreateError} for an unknown type, or a missing name, key or endpoint
 */
export function createProvider(type: ProviderType, options: CreateProviderOptions = {}): Provider {
  switch (type) {
    case "OpenAI":
      if (options.apiKey) return OpenAICompatibleProvider.openai(options.apiKey);
      return OpenAICompatibleProvider.openaiFromEnv(options.env ?? process.env);
    case "OpenAICompatible":
      return new OpenAICompatibleProvider({
        name: options.name ?? "",
        apiKey: options.apiKey ?? "",
        baseUrl: options.endpoint ?? "",
        rerankPath: options.rerankPath,
      });
    case "Dummy":
      return new DummyProvider(options.name);
    default:
      throw new ProviderCreateError(
        `Unknown provider type "${String(type)}"; expected one of ${PROVIDER_TYPES.join(", ")}`,
      );
  }
}
