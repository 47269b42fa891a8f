import { createHash } from "node:crypto";
import { completionCacheKey, rerankCacheKey } from "../cache/cache-keys.js";
import {
  type FallbackAttempt,
  FallbackExhaustedError,
} from "../errors/fallback-exhausted-error.js";
import { stripReasoningFromResponse } from "../models/reasoning.js";
import type {
  CompletionRequest,
  EmbeddingRequest,
  ModelKind,
  RequestOf,
  RerankRequest,
  ResponseOf,
} from "../types.js";
import type { CostLedger } from "./cost.js";
import {
  fallbackAttempt,
  routeByContextWindow,
  runWithFallbacks,
  shouldFallback,
} from "./fallbacks.js";
import type { InvokeOptions } from "./invoke-options.js";
import { kindSupport } from "./kind-support.js";
import { Singleflight } from "./singleflight.js";

/** The coalescing key of a request: its cache key, so "identical" means what the cache means. */
export function coalesceKey<K extends ModelKind>(
  kind: K,
  group: string,
  request: RequestOf<K>,
): string {
  if (kind === "completion") return completionCacheKey(group, request as CompletionRequest);
  if (kind === "rerank") return rerankCacheKey(group, request as RerankRequest);
  const embedding = request as EmbeddingRequest;
  const digest = createHash("sha256")
    .update(JSON.stringify([group, embedding.ndim, embedding.texts]))
    .digest("hex");
  return `emb-batch:${digest}`;
}

/** What the pipeline needs from its router. */
export interface RequestPipelineOptions<K extends ModelKind> {
  kind: K;
  fallbacks: Record<string, readonly string[]>;
  contextWindowFallbacks: Record<string, string>;
  coalesce: boolean;
  stripReasoning: boolean;
  ledger: CostLedger;
  now: () => number;
  /** The deployments of a group. @throws {UnknownGroupError} */
  deploymentsOf: (group: string) => readonly { contextWindow: number | undefined }[];
  deploymentOf: (error: unknown) => string | undefined;
  /** One group's cache lookup and dispatch (with retries). */
  call: (
    group: string,
    request: RequestOf<K>,
    options: InvokeOptions,
    readCache: boolean,
  ) => Promise<ResponseOf<K>>;
}

/**
 * The group-level features around a router's call, in this order: coalescing of identical
 * requests, budget check, context-window routing and the fallback chain, reasoning stripping.
 * The router builds one only when one of them is configured.
 */
export class RequestPipeline<K extends ModelKind> {
  readonly #options: RequestPipelineOptions<K>;
  readonly #flights = new Singleflight();

  constructor(options: RequestPipelineOptions<K>) {
    this.#options = options;
  }

  /** Sends `request` to `group` through the configured features. */
  run(
    group: string,
    request: RequestOf<K>,
    options: InvokeOptions,
    readCache: boolean,
  ): Promise<ResponseOf<K>> {
    const settings = this.#options;
    const strip =
      settings.kind === "completion" && (options.stripReasoning ?? settings.stripReasoning);
    // Coalescing serves the same answer to identical requests, which is what a cache read does:
    // a fresh read (`invokeFresh`) or `noCache` asks for a call of its own.
    const pending =
      settings.coalesce && readCache && !options.noCache
        ? this.#flights.run(
            coalesceKey(settings.kind, group, request),
            (signal) =>
              this.#chain(group, request, signal ? { ...options, signal } : options, readCache),
            options.signal,
          )
        : this.#chain(group, request, options, readCache);
    return strip
      ? pending.then((response) => stripReasoningFromResponse(response) as ResponseOf<K>)
      : pending;
  }

  /**
   * The group a request goes to after the budget check and context-window routing.
   * @throws {BudgetExceededError}, {ContextWindowExceededError}, {UnknownGroupError}
   */
  route(group: string, request: RequestOf<K>): string {
    const { ledger, now, kind, contextWindowFallbacks, deploymentsOf } = this.#options;
    ledger.check(group, now());
    const target = routeByContextWindow(
      group,
      () => kindSupport(kind).estimateTokens(request),
      deploymentsOf,
      contextWindowFallbacks,
    );
    if (target !== group) ledger.check(target, now());
    return target;
  }

  /**
   * Streams from `group` through budget check, context-window routing and the fallback chain. A
   * stream moves to the next group only if it failed before its first event: text the consumer
   * already has cannot be taken back.
   */
  async *stream<T, R>(
    group: string,
    request: RequestOf<K>,
    open: (group: string) => AsyncGenerator<T, R, undefined>,
  ): AsyncGenerator<T, R, undefined> {
    const { fallbacks, deploymentOf } = this.#options;
    const chain = fallbacks[group] ?? [];
    const attempts: FallbackAttempt[] = [];
    for (const candidate of [group, ...chain]) {
      let yielded = false;
      try {
        const source = open(this.route(candidate, request));
        let done = false;
        try {
          for (;;) {
            const next = await source.next();
            if (next.done) {
              done = true;
              return next.value;
            }
            yielded = true;
            yield next.value;
          }
        } finally {
          // The consumer stopped early: stop the source too, so its HTTP stream is cancelled.
          if (!done) await source.return(undefined as never);
        }
      } catch (error) {
        if (yielded || chain.length === 0 || !shouldFallback(error)) throw error;
        attempts.push(fallbackAttempt(candidate, error, deploymentOf));
      }
    }
    throw new FallbackExhaustedError(group, attempts);
  }

  #chain(
    group: string,
    request: RequestOf<K>,
    options: InvokeOptions,
    readCache: boolean,
  ): Promise<ResponseOf<K>> {
    const { fallbacks, call, deploymentOf } = this.#options;
    return runWithFallbacks({
      group,
      fallbacks: fallbacks[group] ?? [],
      deploymentOf,
      run: async (candidate) => call(this.route(candidate, request), request, options, readCache),
    });
  }
}
