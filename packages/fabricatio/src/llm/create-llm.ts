import { type Config, getConfig } from "@fabricatio/config";
import { createRoutersFromConfig } from "@fabricatio/gateway";
import { initLoggerFromConfig, isLoggerInitialized } from "@fabricatio/logger";
import type { Router, RouterCache, RoutingStrategy } from "@fabricatio/thryd";
import { TemplateManager } from "../templates/template-manager.js";
import { LLM } from "./llm.js";

/** Options of {@link createLLM}. */
export interface CreateLLMOptions {
  /** The configuration. @default getConfig() */
  config?: Config;
  /**
   * The answer cache: `false` for none, `true` for the configured one (the SQLite file at
   * `<cacheDir()>/router-cache.sqlite` when none is configured), or a `RouterCache` of your own
   * (not closed by `close()`). @default the configured cache, off unless `routing.cache_database_path`
   * or `routing.cache_store` is set (see `describeCache`)
   */
  cache?: boolean | RouterCache;
  /** Routing strategy of every router. @default "least-wait" */
  strategy?: RoutingStrategy;
  /** Environment (for `OPENAI_API_KEY` and the cache directory). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The facade with the routers behind it. */
export interface FabricatioLLM extends LLM {
  /** The routers, for direct use (deploy more models, inspect groups). */
  readonly routers: {
    readonly completion: Router<"completion">;
    readonly embedding: Router<"embedding">;
    readonly rerank: Router<"rerank">;
  };
  /** The shared answer cache, when enabled. */
  readonly cache: RouterCache | undefined;
  /** Closes the cache database and the HTTP connection pools. */
  close(): Promise<void>;
}

/**
 * Builds the completion, embedding and rerank routers from `config.routing` with
 * `createRoutersFromConfig` of @fabricatio/gateway (providers with their `rerank_path`,
 * deployments with their RPM/TPM, the answer cache — off unless `cache_database_path` (SQLite) or
 * `cache_store` is set, as the original — the shared Redis quotas of `rate_limit_store =
 * "redis"`, the `retry_*` policy and the opt-in resilience, cost and observability keys) and
 * returns the facade over them.
 * Logging is set up from `config.debug` unless the application has already done it.
 * @throws {ProviderCreateError} | {InvalidIdentifierError} | {UnknownProviderError} for a routing
 * section the router cannot build
 */
export function createLLM(options: CreateLLMOptions = {}): FabricatioLLM {
  const config = options.config ?? getConfig();
  const env = options.env ?? process.env;
  if (!isLoggerInitialized()) initLoggerFromConfig(config.debug);
  const routers = createRoutersFromConfig({
    config,
    env,
    cache: options.cache,
    strategy: options.strategy,
  });
  const { completion, embedding, rerank, cache } = routers;

  const templates = new TemplateManager({
    stores: config.template_manager.template_stores,
    suffix: config.template_manager.template_suffix,
    activeLoading: config.template_manager.active_loading,
  });
  const llm = new LLM(
    {
      completion: {
        invoke: (group, request, callOptions) => completion.invoke(group, request, callOptions),
        invokeFresh: (group, request, callOptions) =>
          completion.invokeFresh(group, request, callOptions),
        stream: (group, request, callOptions) => completion.stream(group, request, callOptions),
      },
      embedding: {
        invoke: (group, request, callOptions) => embedding.invoke(group, request, callOptions),
        invokeFresh: (group, request, callOptions) =>
          embedding.invokeFresh(group, request, callOptions),
      },
      rerank: {
        invoke: (group, request, callOptions) => rerank.invoke(group, request, callOptions),
        invokeFresh: (group, request, callOptions) =>
          rerank.invokeFresh(group, request, callOptions),
      },
    },
    {
      llm: config.llm,
      embedding: config.embedding,
      reranker: config.reranker,
      general: config.general,
      templates: config.templates,
      resolveSendTo: (preferred) => config.resolveLlmVariant(preferred),
      mcp: {
        servers: () => config.mcpServers(),
        connectTimeoutMs:
          config.mcp.connect_timeout_s === undefined
            ? undefined
            : config.mcp.connect_timeout_s * 1000,
        env,
      },
    },
    templates,
  );
  return Object.assign(llm, {
    routers: { completion, embedding, rerank },
    cache,
    close: () => routers.close(),
  }) as FabricatioLLM;
}
