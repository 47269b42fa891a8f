import { SEPARATOR } from "@fabricatio/constants";
import { getLogger } from "@fabricatio/logger";
import type { Tracer } from "@opentelemetry/api";
import { RouterCache, type RouterCacheOptions } from "../cache/router-cache.js";
import { assistantMessageOf, validateCompletionRequest } from "../chat/normalize.js";
import { estimatePromptTokens } from "../chat/prompt-tokens.js";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { IncompleteResponseError } from "../errors/request-errors.js";
import {
  InvalidIdentifierError,
  UnknownGroupError,
  UnknownProviderError,
} from "../errors/router-errors.js";
import { isTransientError } from "../errors/thryd-error.js";
import { AbortedError, TimeoutError } from "../errors/transport-errors.js";
import { Deployment, type DeploymentOptions } from "../limits/deployment.js";
import type { Reservation } from "../limits/sliding-window.js";
import { stripReasoningFromResponse, stripReasoningStream } from "../models/reasoning.js";
import { usageOf } from "../models/usage.js";
import { MetricsCollector, type MetricsSnapshot } from "../observability/metrics.js";
import { GenAiTracing } from "../observability/tracing.js";
import { countTokens } from "../tokens/count-tokens.js";
import type {
  CallOptions,
  CompletionRequest,
  CompletionResponse,
  FinishReason,
  Model,
  ModelKind,
  Provider,
  RequestOf,
  ResponseOf,
  StreamEvent,
  ToolCall,
  Usage,
} from "../types.js";
import { acquireShared, hasAsyncLimiter, settleShared } from "./acquire-shared.js";
import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type DeploymentHealth,
} from "./circuit-breaker.js";
import { type Budget, CostLedger, type CostTotals } from "./cost.js";
import { DispatchObserver } from "./dispatch-observer.js";
import { type CachePlan, kindSupport } from "./kind-support.js";
import { RequestPipeline } from "./request-pipeline.js";
import { backoffMs, type RetryConfig, retryOnTransient } from "./retry.js";
import { routableDeployments } from "./routable.js";
import { sleep as defaultSleep, type Sleep } from "./sleep.js";
import { pickCandidate, type RoutingStrategy } from "./strategies.js";

/** Options of a router. Every dependency that varies in tests is injectable. */
export interface RouterOptions {
  /** How to pick among a group's deployments. @default "least-wait" */
  strategy?: RoutingStrategy;
  /** Retry transient errors; off unless set (`true` uses the defaults). */
  retry?: RetryConfig | boolean;
  /** Persistent answer cache; off unless set (`true` uses SQLite under `cacheDir()`). */
  cache?: RouterCacheOptions | RouterCache | boolean;
  /** Time limit of each attempt in ms, unless the call sets `timeoutMs`. @default none */
  timeoutMs?: number;
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

/** Per-call options of `invoke`, `invokeCached`, `invokeFresh` and `stream`. */
export interface InvokeOptions extends CallOptions {
  /** Neither read nor write the cache. @default false */
  noCache?: boolean;
  /**
   * Longest total wait for rate-limit room, in ms; a longer wait fails at once with
   * `RateLimitExceededError`. @default Infinity
   */
  maxWaitMs?: number;
  /** Remove reasoning blocks from the completion text. @default the router's `stripReasoning` */
  stripReasoning?: boolean;
}

interface Acquired<K extends ModelKind> {
  deployment: Deployment<K>;
  reservation: Reservation;
}

interface Attempt {
  signal: AbortSignal;
  /** Rejects when the attempt times out or the caller aborts. */
  cancelled: Promise<never>;
  end(): void;
  /** Cancels the attempt's HTTP call, e.g. when a stream consumer stops early. */
  abort(): void;
  failure(error: unknown): unknown;
}

/**
 * Routes requests of one model kind over groups of deployments with RPM/TPM limits, a routing
 * strategy, an optional cache and optional retries. Build one with `createCompletionRouter`,
 * `createEmbeddingRouter` or `createRerankRouter`.
 */
export class Router<K extends ModelKind> {
  /** The kind of model this router routes. */
  readonly kind: K;
  readonly #providers = new Map<string, Provider>();
  readonly #groups = new Map<string, Deployment<K>[]>();
  readonly #cursors = new Map<string, number>();
  readonly #cache: RouterCache | undefined;
  #retry: RetryConfig | undefined;
  readonly #strategy: RoutingStrategy;
  readonly #timeoutMs: number | undefined;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #logger = getLogger("thryd:router");
  readonly #breaker: CircuitBreaker | undefined;
  readonly #metrics: MetricsCollector | undefined;
  readonly #ledger: CostLedger;
  readonly #stripReasoning: boolean;
  // Each is built only when a feature needs it: unset, the request path skips it entirely.
  #observer: DispatchObserver<K> | undefined;
  readonly #pipeline: RequestPipeline<K> | undefined;
  #hasContextWindows = false;

  constructor(kind: K, options: RouterOptions = {}) {
    this.kind = kind;
    this.#strategy = options.strategy ?? "least-wait";
    this.#retry = options.retry === true ? {} : options.retry || undefined;
    this.#timeoutMs = options.timeoutMs;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
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
    this.#stripReasoning = options.stripReasoning ?? false;
    const tracing = options.tracing
      ? new GenAiTracing(kind, options.tracing === true ? undefined : options.tracing)
      : undefined;
    const fallbacks = options.fallbacks ?? {};
    const hasFallbacks = Object.keys(fallbacks).length > 0;
    if (this.#breaker || this.#metrics || tracing || hasFallbacks) this.#ensureObserver(tracing);
    // Empty maps (as a config file with no entries gives) leave the pipeline, and its cost, off.
    const hasContextWindowFallbacks = Object.keys(options.contextWindowFallbacks ?? {}).length > 0;
    if (
      hasFallbacks ||
      hasContextWindowFallbacks ||
      options.coalesce ||
      this.#stripReasoning ||
      this.#ledger.hasBudgets
    ) {
      this.#pipeline = new RequestPipeline({
        kind,
        fallbacks,
        contextWindowFallbacks: options.contextWindowFallbacks ?? {},
        coalesce: options.coalesce ?? false,
        stripReasoning: this.#stripReasoning,
        ledger: this.#ledger,
        now: this.#now,
        deploymentsOf: (group) => this.getGroup(group),
        deploymentOf: (error) => this.#observer?.deploymentOf(error),
        call: (group, request, callOptions, readCache) =>
          this.#invoke(group, request, callOptions, readCache),
      });
    }
  }

  #ensureObserver(tracing?: GenAiTracing): DispatchObserver<K> {
    this.#observer ??= new DispatchObserver<K>({
      breaker: this.#breaker,
      metrics: this.#metrics,
      tracing,
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
    if (deployment.contextWindow !== undefined) this.#hasContextWindows = true;
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
    if (deployments.length === 0) this.#groups.delete(group);
    else this.#groups.set(group, deployments);
    return this;
  }

  /** Removes a group and its deployments. @throws {UnknownGroupError} */
  removeGroup(group: string): this {
    if (!this.#groups.delete(group)) throw new UnknownGroupError(group);
    this.#cursors.delete(group);
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
   * picked by the strategy, with quota reserved before dispatch and reconciled after.
   * @throws {UnknownGroupError}, {RateLimitExceededError}, {TimeoutError}, {AbortedError},
   * {ApiError}, {NetworkError}, {ParseError} (after retries, when configured)
   */
  invoke(
    group: string,
    request: RequestOf<K>,
    options: InvokeOptions = {},
  ): Promise<ResponseOf<K>> {
    if (this.#pipeline || options.stripReasoning) return this.#run(group, request, options, true);
    if (this.#cache && !options.noCache) return this.#invoke(group, request, options, true);
    // Without a cache the call goes straight to dispatch: one async layer less per request.
    try {
      this.#validate(request);
      this.getGroup(group);
      return this.#send(group, request, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Same as `invoke`: read the cache, call on a miss, write the answer back. */
  invokeCached(
    group: string,
    request: RequestOf<K>,
    options: Omit<InvokeOptions, "noCache"> = {},
  ): Promise<ResponseOf<K>> {
    return this.#run(group, request, options, true);
  }

  /** Skips the cache read, always calls the model, and writes the fresh answer to the cache. */
  invokeFresh(
    group: string,
    request: RequestOf<K>,
    options: Omit<InvokeOptions, "noCache"> = {},
  ): Promise<ResponseOf<K>> {
    return this.#run(group, request, options, false);
  }

  #run(
    group: string,
    request: RequestOf<K>,
    options: InvokeOptions,
    readCache: boolean,
  ): Promise<ResponseOf<K>> {
    try {
      this.#validate(request);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#pipeline) return this.#pipeline.run(group, request, options, readCache);
    const pending = this.#invoke(group, request, options, readCache);
    return options.stripReasoning
      ? pending.then((response) => stripReasoningFromResponse(response))
      : pending;
  }

  async #invoke(
    group: string,
    request: RequestOf<K>,
    options: InvokeOptions,
    readCache: boolean,
  ): Promise<ResponseOf<K>> {
    this.#validate(request);
    this.getGroup(group);
    const cache = options.noCache ? undefined : this.#cache;
    if (!cache) return this.#send(group, request, options);
    const plan: CachePlan<K> = await kindSupport(this.kind).plan(cache, group, request, readCache);
    this.#observer?.cacheLookup(group, plan.hit !== undefined);
    if (plan.hit) {
      this.#logger.trace(() => `Cache hit in group "${group}"`);
      return plan.hit;
    }
    const fresh = await this.#send(group, plan.request, options);
    await cache.setMany(plan.entries(fresh));
    return plan.finish(fresh);
  }

  #validate(request: RequestOf<K>): void {
    if (this.kind === "completion") validateCompletionRequest(request as CompletionRequest);
  }

  /** The request's token estimate, or 0 when no deployment of the group limits or checks it. */
  #estimateTokens(group: string, request: RequestOf<K>): number {
    for (const deployment of this.getGroup(group)) {
      if (deployment.needsTokenEstimate) return kindSupport(this.kind).estimateTokens(request);
    }
    return 0;
  }

  #send(group: string, request: RequestOf<K>, options: InvokeOptions): Promise<ResponseOf<K>> {
    const tokens = this.#estimateTokens(group, request);
    const deadline = this.#now() + (options.maxWaitMs ?? Number.POSITIVE_INFINITY);
    const attempt = () => {
      // The common case (room now) stays synchronous up to the HTTP call.
      const acquired = this.#tryAcquire(group, tokens, deadline, options.signal);
      return typeof acquired === "number"
        ? this.#acquire(group, tokens, deadline, options.signal, acquired).then((ready) =>
            this.#dispatch(ready, request, options),
          )
        : this.#dispatch(acquired, request, options);
    };
    if (!this.#retry) return attempt();
    return retryOnTransient(this.#retry, attempt, {
      sleep: this.#sleep,
      random: this.#random,
      signal: options.signal,
      // Our own limiter already waited as long as the caller allowed (`maxWaitMs`).
      shouldRetry: (error) => !(error instanceof RateLimitExceededError),
    });
  }

  // Check and reserve run without an await between them, so concurrent callers cannot both take
  // the last slot of a window. Returns the wait in ms when no deployment has room, and 0 when the
  // group keeps its quota in an async store (then `#acquire` reserves).
  #tryAcquire(
    group: string,
    tokens: number,
    deadlineMs: number,
    signal: AbortSignal | undefined,
  ): Acquired<K> | number {
    if (signal?.aborted) throw new AbortedError(`Request to group "${group}"`, signal.reason);
    const now = this.#now();
    const deployments = this.#candidates(group, tokens, now);
    // A shared (async) store cannot answer synchronously: `#acquire` takes that group over.
    if (deployments.length === 1 ? deployments[0]!.asyncLimiter : hasAsyncLimiter(deployments)) {
      return 0;
    }
    let index = 0;
    let waitMs = 0;
    if (deployments.length === 1) {
      waitMs = deployments[0]!.waitMs(tokens, now);
    } else {
      const pick = pickCandidate(
        this.#strategy,
        deployments.map((deployment, position) => ({
          index: position,
          waitMs: deployment.waitMs(tokens, now),
          inFlight: deployment.inFlight,
        })),
        (this.#cursors.get(group) ?? 0) % deployments.length,
      );
      index = pick.index;
      waitMs = pick.waitMs;
    }
    const deployment = deployments[index]!;
    if (waitMs === 0) {
      this.#cursors.set(group, (index + 1) % deployments.length);
      return { deployment, reservation: deployment.tryReserve(tokens, now) as Reservation };
    }
    if (!Number.isFinite(waitMs) || now + waitMs > deadlineMs) {
      throw new RateLimitExceededError(group, waitMs);
    }
    return waitMs;
  }

  /** The group's deployments that may take `tokens` now (context windows, open circuits). */
  #candidates(group: string, tokens: number, nowMs: number): readonly Deployment<K>[] {
    return this.#breaker || this.#hasContextWindows
      ? routableDeployments({
          group,
          deployments: this.getGroup(group),
          tokens,
          nowMs,
          breaker: this.#breaker,
        })
      : this.getGroup(group);
  }

  async #acquire(
    group: string,
    tokens: number,
    deadlineMs: number,
    signal: AbortSignal | undefined,
    firstWaitMs?: number,
  ): Promise<Acquired<K>> {
    const deployments = this.#candidates(group, tokens, this.#now());
    if (hasAsyncLimiter(deployments)) {
      const { index, reservation } = await acquireShared({
        group,
        deployments,
        strategy: this.#strategy,
        cursor: (this.#cursors.get(group) ?? 0) % deployments.length,
        tokens,
        deadlineMs,
        signal,
        now: this.#now,
        sleep: this.#sleep,
        logger: this.#logger,
      });
      this.#cursors.set(group, (index + 1) % deployments.length);
      return { deployment: deployments[index]!, reservation };
    }
    let waitMs = firstWaitMs ?? this.#tryAcquire(group, tokens, deadlineMs, signal);
    while (typeof waitMs === "number") {
      this.#logger.debug(() => `Group "${group}" is at its limits; waiting ${waitMs} ms`);
      await this.#sleep(waitMs as number, signal);
      waitMs = this.#tryAcquire(group, tokens, deadlineMs, signal);
    }
    return waitMs;
  }

  // `action` and `deploymentId` make the error label only when an attempt is needed: the
  // template string would otherwise be built on every request of the hot path.
  #startAttempt(action: string, deploymentId: string, options: InvokeOptions, force: true): Attempt;
  #startAttempt(action: string, deploymentId: string, options: InvokeOptions): Attempt | undefined;
  #startAttempt(
    action: string,
    deploymentId: string,
    options: InvokeOptions,
    force = false,
  ): Attempt | undefined {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const hasTimeout = timeoutMs !== undefined && timeoutMs > 0;
    // Without a signal or a timeout there is nothing to cancel; skipping the controller keeps
    // the hot path as cheap as a raw HTTP call.
    if (!force && !options.signal && !hasTimeout) return undefined;
    const what = `${action} "${deploymentId}"`;
    const controller = new AbortController();
    let timedOut = false;
    let rejectCancelled: (error: unknown) => void = () => {};
    const cancelled = new Promise<never>((_, reject) => {
      rejectCancelled = reject;
    });
    cancelled.catch(() => {});
    const onAbort = () => {
      controller.abort(options.signal?.reason);
      rejectCancelled(new AbortedError(what, options.signal?.reason));
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = hasTimeout
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new TimeoutError(what, timeoutMs));
          rejectCancelled(new TimeoutError(what, timeoutMs));
        }, timeoutMs)
      : undefined;
    return {
      signal: controller.signal,
      cancelled,
      abort: () => controller.abort(),
      end: () => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
      },
      failure: (error) => {
        if (timedOut) return new TimeoutError(what, timeoutMs ?? 0);
        if (options.signal?.aborted) return new AbortedError(what, error);
        return error;
      },
    };
  }

  #settle(acquired: Acquired<K>, error: unknown, usage: Usage | undefined): void {
    const { deployment, reservation } = acquired;
    const limiter = deployment.limiter;
    if (!limiter) {
      if (deployment.asyncLimiter) {
        settleShared(deployment.asyncLimiter, reservation, error, usage, this.#now(), this.#logger);
      }
      return;
    }
    if (usage) {
      // A provider that reports no usage leaves the estimate in place.
      const actual = usage.total_tokens > 0 ? usage.total_tokens : reservation.tokens;
      limiter.reconcile(reservation, actual, this.#now());
    } else if (error instanceof AbortedError || error instanceof TimeoutError) {
      // Cancelled by the caller or the time limit: the quota goes back. Other failures keep it,
      // as the provider may have counted a request whose answer was lost.
      limiter.release(reservation);
    }
  }

  async #dispatch(
    acquired: Acquired<K>,
    request: RequestOf<K>,
    options: InvokeOptions,
  ): Promise<ResponseOf<K>> {
    const { deployment } = acquired;
    const attempt = this.#startAttempt("Request to", deployment.id, options);
    const observation = this.#observer?.start(deployment, request);
    deployment.inFlight++;
    try {
      const response = attempt
        ? await Promise.race([
            deployment.model.invoke(request, { signal: attempt.signal }),
            attempt.cancelled,
          ])
        : await deployment.model.invoke(request);
      this.#settle(acquired, undefined, response.usage);
      observation?.succeeded(response.usage);
      return response;
    } catch (error) {
      const failure = attempt ? attempt.failure(error) : error;
      this.#settle(acquired, failure, undefined);
      observation?.failed(failure);
      throw failure;
    } finally {
      deployment.inFlight--;
      attempt?.end();
    }
  }

  /**
   * Streams a completion as text deltas; the generator's return value is the whole response,
   * which is cached at the end. A cache hit yields the cached text as one delta. Retries and
   * fallback groups (when configured) apply only until the first delta has been yielded; with
   * `stripReasoning`, reasoning blocks are removed as the deltas pass. Never coalesced.
   * @throws the errors of `invoke`, and {SseError} when the stream breaks
   */
  async *stream(
    this: Router<"completion">,
    group: string,
    request: CompletionRequest,
    options: InvokeOptions = {},
  ): AsyncGenerator<string, CompletionResponse, undefined> {
    validateCompletionRequest(request);
    const deltas = this.#pipeline
      ? this.#pipeline.stream(group, request, (target) => this.#stream(target, request, options))
      : this.#stream(group, request, options);
    return (options.stripReasoning ?? this.#stripReasoning)
      ? yield* stripReasoningStream(deltas)
      : yield* deltas;
  }

  async *#stream(
    this: Router<"completion">,
    group: string,
    request: CompletionRequest,
    options: InvokeOptions,
  ): AsyncGenerator<string, CompletionResponse, undefined> {
    this.getGroup(group);
    const cache = options.noCache ? undefined : this.#cache;
    const plan = cache
      ? await kindSupport("completion").plan(cache, group, request, true)
      : undefined;
    if (plan?.hit) {
      yield plan.hit.content;
      return plan.hit;
    }
    const tokens = this.#estimateTokens(group, request);
    const deadline = this.#now() + (options.maxWaitMs ?? Number.POSITIVE_INFINITY);
    for (let retries = 0; ; retries++) {
      let yielded = false;
      try {
        const acquired = await this.#acquire(group, tokens, deadline, options.signal);
        const response = yield* this.#streamOnce(acquired, request, options, () => {
          yielded = true;
        });
        if (cache && plan) await cache.setMany(plan.entries(response));
        return response;
      } catch (error) {
        const maxRetries = this.#retry?.maxRetries ?? 3;
        if (
          yielded ||
          !this.#retry ||
          retries >= maxRetries ||
          !isTransientError(error) ||
          error instanceof RateLimitExceededError
        ) {
          throw error;
        }
        await this.#sleep(backoffMs(this.#retry, retries + 1, error, this.#random), options.signal);
      }
    }
  }

  async *#streamOnce(
    this: Router<"completion">,
    acquired: Acquired<"completion">,
    request: CompletionRequest,
    options: InvokeOptions,
    onYield: () => void,
  ): AsyncGenerator<string, CompletionResponse, undefined> {
    const { deployment } = acquired;
    // Streams always get a controller, so a consumer that stops early can cancel the HTTP call.
    const attempt = this.#startAttempt("Stream from", deployment.id, options, true);
    const observation = this.#observer?.start(deployment, request);
    deployment.inFlight++;
    let usage: Usage | undefined;
    let error: unknown;
    let events: AsyncIterator<StreamEvent> | undefined;
    try {
      const model = deployment.model;
      if (!model.stream) {
        const response = await Promise.race([
          model.invoke(request, { signal: attempt.signal }),
          attempt.cancelled,
        ]);
        usage = response.usage;
        onYield();
        yield response.content;
        return response;
      }
      events = model.stream(request, { signal: attempt.signal })[Symbol.asyncIterator]();
      let content = "";
      const calls: { id: string; name: string; arguments: string }[] = [];
      let finishReason: FinishReason | undefined;
      for (;;) {
        const next = await Promise.race([events.next(), attempt.cancelled]);
        if (next.done) break;
        const event = next.value;
        if (event.type === "usage") {
          usage = event.usage;
        } else if (event.type === "finish") {
          finishReason = event.finish_reason;
        } else if (event.type === "tool_call_delta") {
          calls[event.index] ??= { id: "", name: "", arguments: "" };
          const call = calls[event.index]!;
          if (event.id) call.id = event.id;
          if (event.name) call.name += event.name;
          call.arguments += event.arguments;
        } else {
          content += event.text;
          onYield();
          yield event.text;
        }
      }
      if (!finishReason) {
        usage = undefined;
        throw new IncompleteResponseError(
          `model "${deployment.id}"`,
          "the stream ended without a finish event",
        );
      }
      usage ??= usageOf(estimatePromptTokens(request), countTokens(content));
      const toolCalls: ToolCall[] = calls
        .filter((call) => call !== undefined)
        .map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        }));
      return {
        content,
        usage,
        finish_reason: finishReason,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        message: assistantMessageOf(content, toolCalls),
      };
    } catch (caught) {
      error = attempt.failure(caught);
      throw error;
    } finally {
      deployment.inFlight--;
      attempt.end();
      // A consumer that stops early aborts the HTTP stream; its reservation stays counted.
      if (!usage && !error) {
        attempt.abort();
        void events?.return?.()?.catch(() => {});
      }
      this.#settle(acquired, error, usage);
      if (usage) observation?.succeeded(usage);
      else observation?.failed(error ?? new AbortedError(`Stream from "${deployment.id}"`));
    }
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
