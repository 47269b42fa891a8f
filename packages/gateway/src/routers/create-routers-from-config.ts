import path from "node:path";
import type { Config, DeploymentConfig } from "@fabricatio/config";
import { cacheDir } from "@fabricatio/constants";
import {
  closeHttpPools,
  createCompletionRouter,
  createEmbeddingRouter,
  createProvider,
  createRerankRouter,
  type ModelKind,
  type Provider,
  type RateLimitStore,
  RedisRateLimitStore,
  type RetryConfig,
  type Router,
  RouterCache,
  type RouterOptions,
  type RoutingStrategy,
} from "@fabricatio/thryd";
import { CACHE_FILE_NAME, describeCache } from "./describe-cache.js";

/** Options of {@link createRoutersFromConfig}. */
export interface CreateRoutersOptions {
  /** The loaded configuration; `config.routing` is what is read. */
  config: Config;
  /**
   * The answer cache: `false` for none, `true` for the configured one (the SQLite file at
   * `<cacheDir()>/router-cache.sqlite` when none is configured), or a `RouterCache` of your own
   * (not closed by `close()`). @default the configured cache, off unless
   * `routing.cache_database_path` or `routing.cache_store` is set (see `describeCache`)
   */
  cache?: boolean | RouterCache;
  /** Routing strategy of every router. @default "least-wait" */
  strategy?: RoutingStrategy;
  /** Environment (for `OPENAI_API_KEY` and the cache directory). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The three routers built from `[routing]`, and what they share. */
export interface ConfiguredRouters {
  readonly completion: Router<"completion">;
  readonly embedding: Router<"embedding">;
  readonly rerank: Router<"rerank">;
  /** The shared answer cache, when enabled. */
  readonly cache: RouterCache | undefined;
  /** The Redis quota store of `rate_limit_store = "redis"`, shared by the three routers. */
  readonly limitStore: RedisRateLimitStore | undefined;
  /** Closes the cache this function opened, the Redis store and the HTTP connection pools. */
  close(): Promise<void>;
}

function retryFrom(config: Config): RetryConfig | undefined {
  const routing = config.routing;
  if (routing.retry_max_retries === undefined) return undefined;
  return {
    maxRetries: routing.retry_max_retries,
    ...(routing.retry_initial_backoff_ms === undefined
      ? {}
      : { initialBackoffMs: routing.retry_initial_backoff_ms }),
    ...(routing.retry_max_backoff_ms === undefined
      ? {}
      : { maxBackoffMs: routing.retry_max_backoff_ms }),
    ...(routing.retry_backoff_multiplier === undefined
      ? {}
      : { multiplier: routing.retry_backoff_multiplier }),
  };
}

const secondsToMs = (seconds: number | undefined) =>
  seconds === undefined ? undefined : seconds * 1000;

function providersFrom(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
): Provider[] {
  const routing = config.routing;
  return routing.providers.map((provider) =>
    createProvider(provider.ptype, {
      name: provider.name,
      // `key` and `keys` together make one pool, `key` first.
      apiKey: provider.keys
        ? [...(provider.key ? [provider.key] : []), ...provider.keys].map((key) =>
            key.getSecretValue(),
          )
        : provider.key?.getSecretValue(),
      endpoint: provider.base_url,
      rerankPath: provider.rerank_path,
      keyCooldownMs:
        provider.key_cooldown_s === undefined ? undefined : provider.key_cooldown_s * 1000,
      // A provider's own limit wins over [routing]'s; unset everywhere, thryd's defaults apply
      // (600 s for the headers, 60 s of stream silence).
      requestTimeoutMs: secondsToMs(provider.request_timeout_s ?? routing.request_timeout_s),
      streamIdleTimeoutMs: secondsToMs(
        provider.stream_idle_timeout_s ?? routing.stream_idle_timeout_s,
      ),
      env,
    }),
  );
}

function deployAll<K extends ModelKind>(
  router: Router<K>,
  providers: readonly Provider[],
  deployments: readonly DeploymentConfig[],
  store: RateLimitStore | undefined,
): void {
  for (const provider of providers) router.addProvider(provider);
  for (const deployment of deployments) {
    const priced =
      deployment.input_price_per_mtok !== undefined ||
      deployment.output_price_per_mtok !== undefined;
    router.deploy(deployment.group, deployment.id, {
      rpm: deployment.rpm,
      tpm: deployment.tpm,
      windowS: deployment.window_s,
      store,
      contextWindow: deployment.context_window,
      price: priced
        ? {
            inputPerMTok: deployment.input_price_per_mtok ?? 0,
            outputPerMTok: deployment.output_price_per_mtok ?? 0,
          }
        : undefined,
    });
  }
}

/** The opt-in resilience, cost and observability options of `[routing]`. */
function featuresFrom(config: Config): RouterOptions {
  const routing = config.routing;
  return {
    fallbacks: routing.fallbacks,
    contextWindowFallbacks: routing.context_window_fallbacks,
    circuitBreaker: routing.circuit_breaker && {
      failureThreshold: routing.circuit_breaker_failure_threshold,
      cooldownMs: routing.circuit_breaker_cooldown_ms,
    },
    coalesce: routing.coalesce,
    stripReasoning: routing.strip_reasoning,
    budgets: Object.fromEntries(
      routing.budgets.map((budget) => [
        budget.group,
        { limitUsd: budget.limit_usd, periodMs: budget.period_s * 1000 },
      ]),
    ),
    metrics: routing.metrics,
    tracing: routing.tracing,
    retryAfterMaxMs: secondsToMs(routing.retry_after_max_s),
  };
}

function cacheFrom(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
  wanted: boolean | undefined,
): RouterCache | undefined {
  if (wanted === false) return undefined;
  const memoryTier = {
    memoryMaxEntries: config.routing.cache_memory_max_entries,
    memoryTtlS: config.routing.cache_memory_ttl_s,
  };
  const settings = describeCache(config, env);
  if (settings.enabled) {
    if (settings.store === "redis") {
      return new RouterCache({ store: "redis", url: settings.url, ...memoryTier });
    }
    return new RouterCache({ path: settings.path, ...memoryTier });
  }
  if (wanted === true) {
    return new RouterCache({ path: path.join(cacheDir({ env }), CACHE_FILE_NAME), ...memoryTier });
  }
  return undefined;
}

/**
 * Builds the completion, embedding and rerank routers from `config.routing`: providers with
 * their `rerank_path` and timeouts, deployments with their RPM/TPM, context windows and prices,
 * the answer cache (off unless `cache_database_path` (SQLite) or `cache_store` is set, as the
 * original), the shared Redis quotas of `rate_limit_store = "redis"` (one store for every router:
 * a quota is the provider's, whatever kind of request spends it), the `retry_*` policy and the
 * opt-in resilience, cost and observability keys. The gateway serves these routers; the
 * umbrella's `createLLM` builds its facade over them.
 * @throws {ProviderCreateError} | {InvalidIdentifierError} | {UnknownProviderError} for a routing
 * section the router cannot build
 */
export function createRoutersFromConfig(options: CreateRoutersOptions): ConfiguredRouters {
  const { config } = options;
  const env = options.env ?? process.env;
  const routing = config.routing;
  const ownCache =
    typeof options.cache === "object" ? undefined : cacheFrom(config, env, options.cache);
  const cache = typeof options.cache === "object" ? options.cache : ownCache;
  const limitStore =
    routing.rate_limit_store === "redis"
      ? new RedisRateLimitStore({
          url: routing.redis_url,
          prefix: routing.rate_limit_key_prefix,
          reservationTtlMs: routing.rate_limit_reservation_ttl_ms,
        })
      : undefined;
  const routerOptions: RouterOptions = {
    ...featuresFrom(config),
    cache: cache ?? false,
    retry: retryFrom(config),
    strategy: options.strategy,
  };
  const providers = providersFrom(config, env);
  const completion = createCompletionRouter(routerOptions);
  const embedding = createEmbeddingRouter(routerOptions);
  const rerank = createRerankRouter(routerOptions);
  deployAll(completion, providers, routing.completion_deployments, limitStore);
  deployAll(embedding, providers, routing.embedding_deployments, limitStore);
  deployAll(rerank, providers, routing.reranker_deployments, limitStore);
  return {
    completion,
    embedding,
    rerank,
    cache,
    limitStore,
    async close() {
      await ownCache?.close();
      await limitStore?.close();
      await closeHttpPools();
    },
  };
}
