import { SEPARATOR } from "@fabricatio/constants";
import { getLogger } from "@fabricatio/logger";
import { RouterCache } from "../cache/router-cache.js";
import {
  InvalidIdentifierError,
  UnknownGroupError,
  UnknownProviderError,
} from "../errors/router-errors.js";
import { Deployment, type DeploymentOptions } from "../limits/deployment.js";
import { MetricsCollector, type MetricsSnapshot } from "../observability/metrics.js";
import { GenAiTracing } from "../observability/tracing.js";
import type {
  CompletionRequest,
  CompletionResponse,
  CompletionStreamEvent,
  Model,
  ModelKind,
  Provider,
  RequestOf,
  ResponseOf,
} from "../types.js";
import { CircuitBreaker, type DeploymentHealth } from "./circuit-breaker.js";
import { CostLedger, type CostTotals } from "./cost.js";
import { DeploymentPicker } from "./deployment-picker.js";
import { DispatchObserver } from "./dispatch-observer.js";
import type { InvokeOptions } from "./invoke-options.js";
import type { RequestContext } from "./request-context.js";
import { RequestPath } from "./request-path.js";
import { DEFAULT_RETRY_AFTER_MAX_MS, type RetryConfig } from "./retry.js";
import type { RouterOptions } from "./router-options.js";
import { sleep as defaultSleep } from "./sleep.js";

/**
 * Routes requests of one model kind over groups of deployments with RPM/TPM limits, a routing
 * strategy, an optional cache and optional retries. Build one with `createCompletionRouter`,
 * `createEmbeddingRouter` or `createRerankRouter`.
 *
 * The router keeps the providers, groups and deployments and exposes the public API; what
 * happens to each request is `RequestPath`'s job.
 */
export class Router<K extends ModelKind> {
  /** The kind of model this router routes. */
  readonly kind: K;
  readonly #providers = new Map<string, Provider>();
  readonly #groups = new Map<string, Deployment<K>[]>();
  readonly #cache: RouterCache | undefined;
  #retry: RetryConfig | undefined;
  readonly #now: () => number;
  readonly #logger = getLogger("thryd:router");
  readonly #breaker: CircuitBreaker | undefined;
  readonly #metrics: MetricsCollector | undefined;
  readonly #ledger: CostLedger;
  readonly #tracing: GenAiTracing | undefined;
  readonly #picker: DeploymentPicker<K>;
  readonly #path: RequestPath<K>;
  // Built only when a feature needs it: unset, the request path skips it entirely.
  #observer: DispatchObserver<K> | undefined;

  constructor(kind: K, options: RouterOptions = {}) {
    this.kind = kind;
    this.#retry = options.retry === true ? {} : options.retry || undefined;
    this.#now = options.now ?? Date.now;
    const cache = options.cache;
    this.#cache =
      cache instanceof RouterCache
        ? cache
        : cache
          ? new RouterCache(cache === true ? {} : cache)
          : undefined;
    const breaker = options.circuitBreaker;
    this.#breaker = breaker ? new CircuitBreaker(breaker === true ? {} : breaker) : undefined;
    this.#metrics = options.metrics ? new MetricsCollector() : undefined;
    this.#ledger = new CostLedger(options.budgets);
    this.#tracing = options.tracing
      ? new GenAiTracing(kind, options.tracing === true ? undefined : options.tracing)
      : undefined;
    const fallbacks = options.fallbacks ?? {};
    const hasFallbacks = Object.keys(fallbacks).length > 0;
    if (this.#breaker || this.#metrics || this.#tracing || hasFallbacks) this.#ensureObserver();
    const sleep = options.sleep ?? defaultSleep;
    const deploymentsOf = (group: string) => this.getGroup(group);
    this.#picker = new DeploymentPicker<K>({
      strategy: options.strategy ?? "least-wait",
      breaker: this.#breaker,
      now: this.#now,
      sleep,
      logger: this.#logger,
      deploymentsOf,
    });
    const context: RequestContext<K> = {
      kind,
      cache: this.#cache,
      timeoutMs: options.timeoutMs,
      streamIdleTimeoutMs: options.streamIdleTimeoutMs,
      retryAfterMaxMs: options.retryAfterMaxMs ?? DEFAULT_RETRY_AFTER_MAX_MS,
      now: this.#now,
      sleep,
      random: options.random ?? Math.random,
      logger: this.#logger,
      picker: this.#picker,
      retry: () => this.#retry,
      observer: () => this.#observer,
      deploymentsOf,
    };
    const stripReasoning = options.stripReasoning ?? false;
    // Empty maps (as a config file with no entries gives) leave the pipeline, and its cost, off.
    const contextWindowFallbacks = options.contextWindowFallbacks ?? {};
    const needsPipeline =
      hasFallbacks ||
      Object.keys(contextWindowFallbacks).length > 0 ||
      options.coalesce ||
      stripReasoning ||
      this.#ledger.hasBudgets;
    this.#path = new RequestPath<K>({
      context,
      stripReasoning,
      pipeline: needsPipeline
        ? {
            fallbacks,
            contextWindowFallbacks,
            coalesce: options.coalesce ?? false,
            ledger: this.#ledger,
            now: this.#now,
            deploymentsOf,
            deploymentOf: (error) => this.#observer?.deploymentOf(error),
          }
        : undefined,
    });
  }

  #ensureObserver(): DispatchObserver<K> {
    this.#observer ??= new DispatchObserver<K>({
      breaker: this.#breaker,
      metrics: this.#metrics,
      tracing: this.#tracing,
      ledger: this.#ledger,
      now: this.#now,
    });
    return this.#observer;
  }

  /** Circuit state of every deployment (all `closed` without a `circuitBreaker`). */
  health(): DeploymentHealth[] {
    const deployments = [...this.#groups.values()].flat();
    if (this.#breaker) return this.#breaker.health(deployments, this.#now());
    return deployments.map((deployment) => ({
      group: deployment.group,
      deployment: deployment.id,
      state: "closed",
      consecutiveFailures: 0,
      openUntilMs: undefined,
    }));
  }

  /**
   * Per-deployment requests, errors by code, tokens, cost, latency quantiles, in-flight and
   * window usage, and per-group cache hits. Counters stay 0 unless the router has `metrics: true`;
   * render them with `renderPrometheus`.
   */
  metrics(): MetricsSnapshot {
    const deployments = [...this.#groups.values()].flat();
    return (this.#metrics ?? new MetricsCollector()).snapshot(deployments, this.#now());
  }

  /** USD spent per deployment and group since the router was created, and each budget's state. */
  costs(): CostTotals {
    return this.#ledger.totals(this.#now());
  }

  /** The router's cache, if configured. */
  get cache(): RouterCache | undefined {
    return this.#cache;
  }

  /** Sets or clears (`undefined`) the retry policy. */
  setRetry(config: RetryConfig | undefined): this {
    this.#retry = config;
    return this;
  }

  /** Adds a provider, or replaces the one of the same name. Existing deployments keep theirs. */
  addProvider(provider: Provider): this {
    this.#logger.debug(() => `Provider "${provider.name}" at ${provider.baseUrl}`);
    this.#providers.set(provider.name, provider);
    return this;
  }

  /** Same as {@link Router.addProvider}. */
  updateProvider(provider: Provider): this {
    return this.addProvider(provider);
  }

  /** @throws {UnknownProviderError} when no provider has that name */
  removeProvider(name: string): this {
    if (!this.#providers.delete(name)) throw new UnknownProviderError(name);
    return this;
  }

  /** @throws {UnknownProviderError} when no provider has that name */
  getProvider(name: string): Provider {
    const provider = this.#providers.get(name);
    if (!provider) throw new UnknownProviderError(name);
    return provider;
  }

  /** Names of the registered providers. */
  providerNames(): string[] {
    return [...this.#providers.keys()];
  }

  /**
   * Deploys `<provider>/<model>` into `group`, creating the model through the provider.
   * @throws {InvalidIdentifierError} for an id without provider or model, or one already in the group
   * @throws {UnknownProviderError} when the provider is not registered
   * @throws {ModelNotSupportedError} when the provider has no models of this kind
   */
  deploy(group: string, id: string, options: DeploymentOptions = {}): Deployment<K> {
    const at = id.indexOf(SEPARATOR);
    const providerName = id.slice(0, at);
    const modelName = id.slice(at + SEPARATOR.length);
    if (at <= 0 || modelName.length === 0) {
      throw new InvalidIdentifierError(id, `expected "<provider>${SEPARATOR}<model>"`);
    }
    const provider = this.getProvider(providerName);
    const model = this.#createModel(provider, modelName);
    return this.addDeployment(group, model, options);
  }

  #createModel(provider: Provider, name: string): Model<K> {
    switch (this.kind) {
      case "completion":
        return provider.createCompletionModel(name) as Model as Model<K>;
      case "embedding":
        return provider.createEmbeddingModel(name) as Model as Model<K>;
      default:
        return provider.createRerankModel(name) as Model as Model<K>;
    }
  }

  /**
   * Adds a ready model (e.g. a `DummyModel`) to `group`.
   * @throws {InvalidIdentifierError} when the group is empty, the model is of another kind, or
   * the group already has a deployment with that id
   */
  addDeployment(group: string, model: Model<K>, options: DeploymentOptions = {}): Deployment<K> {
    if (!group) throw new InvalidIdentifierError(group, "a group name cannot be empty");
    if (model.kind !== this.kind) {
      throw new InvalidIdentifierError(
        `${model.provider.name}${SEPARATOR}${model.name}`,
        `a ${model.kind} model cannot join a ${this.kind} router`,
      );
    }
    const deployment = new Deployment(group, model, options);
    if (deployment.price) this.#ensureObserver();
    const deployments = this.#groups.get(group) ?? [];
    if (deployments.some((existing) => existing.id === deployment.id)) {
      throw new InvalidIdentifierError(deployment.id, `already deployed in group "${group}"`);
    }
    deployments.push(deployment);
    this.#groups.set(group, deployments);
    this.#logger.debug(() => `Deployed "${deployment.id}" in group "${group}"`);
    return deployment;
  }

  /** Removes deployment `id` from `group`; the group goes when empty. @throws {UnknownGroupError} */
  undeploy(group: string, id: string): this {
    const deployments = this.getGroup(group).filter((deployment) => deployment.id !== id);
    if (deployments.length === 0) {
      this.#groups.delete(group);
      this.#picker.forget(group);
    } else {
      // A new array: the picker sees the change and rebuilds the group's routing state.
      this.#groups.set(group, deployments);
    }
    return this;
  }

  /** Removes a group and its deployments. @throws {UnknownGroupError} */
  removeGroup(group: string): this {
    if (!this.#groups.delete(group)) throw new UnknownGroupError(group);
    this.#picker.forget(group);
    return this;
  }

  /** The deployments of a group, in deployment order. @throws {UnknownGroupError} */
  getGroup(group: string): readonly Deployment<K>[] {
    const deployments = this.#groups.get(group);
    if (!deployments || deployments.length === 0) throw new UnknownGroupError(group);
    return deployments;
  }

  /** Names of the groups. */
  groupNames(): string[] {
    return [...this.#groups.keys()];
  }

  /**
   * Sends a request to the group: cached answer if any (it costs no quota), else a deployment
   * picked by the strategy, with quota reserved before dispatch and reconciled after. Only a
   * complete answer is returned or cached.
   * @throws {InvalidRequestError} (before anything is reserved or sent), {UnknownGroupError},
   * {RateLimitExceededError}, {TimeoutError}, {AbortedError}, {ApiError}, {NetworkError},
   * {ParseError}, {IncompleteResponseError}, {ContentFilteredError},
   * {UnsupportedFeatureError} (after retries, when configured)
   */
  invoke(
    group: string,
    request: RequestOf<K>,
    options: InvokeOptions = {},
  ): Promise<ResponseOf<K>> {
    return this.#path.invoke(group, request, options);
  }

  /** Same as `invoke`: read the cache, call on a miss, write the answer back. */
  invokeCached(
    group: string,
    request: RequestOf<K>,
    options: Omit<InvokeOptions, "noCache"> = {},
  ): Promise<ResponseOf<K>> {
    return this.#path.run(group, request, options, true);
  }

  /** Skips the cache read, always calls the model, and writes the fresh answer to the cache. */
  invokeFresh(
    group: string,
    request: RequestOf<K>,
    options: Omit<InvokeOptions, "noCache"> = {},
  ): Promise<ResponseOf<K>> {
    return this.#path.run(group, request, options, false);
  }

  /**
   * Streams a completion as events: `text` pieces, `tool_call_delta` fragments (per call
   * `index`; `id` and `name` on its first fragment), and last one `finish` with the finish
   * reason, the usage and the whole `response`, which is also the generator's return value.
   *
   * The answer is cached before `finish` is yielded; a cache hit is replayed as events (its text
   * in one piece, each tool call in one fragment). Retries and fallback groups (when configured)
   * apply only until the first event has been yielded. With `stripReasoning`, reasoning blocks
   * are removed from text events and from the response. A stream that ends without the model's
   * own finish fails with `IncompleteResponseError` and is never cached. Never coalesced.
   * @throws {InvalidRequestError} at once, before the generator is returned
   * @throws while iterating: the errors of `invoke`, and {SseError} when the stream breaks
   */
  streamEvents(
    this: Router<"completion">,
    group: string,
    request: CompletionRequest,
    options: InvokeOptions = {},
  ): AsyncGenerator<CompletionStreamEvent, CompletionResponse, undefined> {
    return this.#path.streamEvents(group, request, options);
  }

  /**
   * Streams a completion's text; the generator's return value is the whole response. The text
   * events of {@link Router.streamEvents}, with all its rules (caching, retries, fallbacks,
   * reasoning stripping); tool calls are in the returned response.
   * @throws {InvalidRequestError} at once, before the generator is returned
   * @throws while iterating: the errors of `streamEvents`
   */
  stream(
    this: Router<"completion">,
    group: string,
    request: CompletionRequest,
    options: InvokeOptions = {},
  ): AsyncGenerator<string, CompletionResponse, undefined> {
    return textOf(this.#path.streamEvents(group, request, options));
  }
}

async function* textOf(
  events: AsyncGenerator<CompletionStreamEvent, CompletionResponse, undefined>,
): AsyncGenerator<string, CompletionResponse, undefined> {
  let done = false;
  try {
    for (;;) {
      const next = await events.next();
      if (next.done) {
        done = true;
        return next.value;
      }
      if (next.value.type === "text") yield next.value.text;
    }
  } finally {
    // The consumer stopped early: stop the events too, so the HTTP stream is cancelled.
    if (!done) await events.return(undefined as never);
  }
}

/** A router of chat completion models. */
export function createCompletionRouter(options: RouterOptions = {}): Router<"completion"> {
  return new Router("completion", options);
}

/** A router of embedding models. */
export function createEmbeddingRouter(options: RouterOptions = {}): Router<"embedding"> {
  return new Router("embedding", options);
}

/** A router of rerank models. */
export function createRerankRouter(options: RouterOptions = {}): Router<"rerank"> {
  return new Router("rerank", options);
}
