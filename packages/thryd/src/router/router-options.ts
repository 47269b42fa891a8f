import type { Tracer } from "@opentelemetry/api";
import type { RouterCache, RouterCacheOptions } from "../cache/router-cache.js";
import type { CircuitBreakerOptions } from "./circuit-breaker.js";
import type { Budget } from "./cost.js";
import type { RetryConfig } from "./retry.js";
import type { Sleep } from "./sleep.js";
import type { RoutingStrategy } from "./strategies.js";

/** Options of a router. Every dependency that varies in tests is injectable. */
export interface RouterOptions {
  /** How to pick among a group's deployments. @default "least-wait" */
  strategy?: RoutingStrategy;
  /** Retry transient errors; off unless set (`true` uses the defaults). */
  retry?: RetryConfig | boolean;
  /** Persistent answer cache; off unless set (`true` uses SQLite under `cacheDir()`). */
  cache?: RouterCacheOptions | RouterCache | boolean;
  /**
   * Time limit of each attempt in ms (headers and body, a stream included), unless the
   * deployment or the call sets `timeoutMs`; it also replaces the provider's `requestTimeoutMs`.
   * Precedence: call, deployment, router, provider. @default unset: the provider's
   * `requestTimeoutMs` (600000 for the built-in providers) bounds the wait for the headers
   */
  timeoutMs?: number;
  /**
   * Longest silence between two chunks of a streamed answer in ms, unless the deployment or the
   * call sets `streamIdleTimeoutMs`. @default unset: the provider's `streamIdleTimeoutMs`
   * (60000 for the built-in providers)
   */
  streamIdleTimeoutMs?: number;
  /**
   * Longest `Retry-After` (or `retry-after-ms`, Gemini's `RetryInfo`) the retry policy waits for,
   * in ms. A longer wait is not slept: the call fails at once with `RateLimitExceededError`
   * carrying the wait (`waitTimeMs`, the provider's error as `cause`), which moves on to the
   * group's fallbacks when it has some. @default DEFAULT_RETRY_AFTER_MAX_MS (60000)
   */
  retryAfterMaxMs?: number;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
  /** Waits for rate-limit cooldowns and retry backoff. @default setTimeout-based */
  sleep?: Sleep;
  /** Random source of the retry jitter. @default Math.random */
  random?: () => number;
  /**
   * Per group, the groups to try in order when it fails with a provider error after its retries,
   * runs out of rate-limit room, has every deployment cooling down, or cannot hold the request.
   * @default {}
   */
  fallbacks?: Record<string, readonly string[]>;
  /** Per group, the group taking requests larger than every deployment's `contextWindow`. */
  contextWindowFallbacks?: Record<string, string>;
  /** Per-deployment circuit breaker; off unless set (`true` uses the defaults). */
  circuitBreaker?: CircuitBreakerOptions | boolean;
  /** Share one upstream call among concurrent identical cacheable requests. @default false */
  coalesce?: boolean;
  /** Remove `<think>`/`<thinking>` blocks from completion text (per call: `stripReasoning`). @default false */
  stripReasoning?: boolean;
  /** Spending limits per group, checked before dispatch; needs deployment `price`s. */
  budgets?: Record<string, Budget>;
  /** Collect per-deployment counters for `router.metrics()`. @default false */
  metrics?: boolean;
  /**
   * OpenTelemetry client spans per model call (GenAI conventions): `true` uses the global tracer
   * provider, or pass a `Tracer`. @default false
   */
  tracing?: boolean | Tracer;
}
