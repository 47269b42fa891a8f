import { BUCKET_COUNT, BUCKET_SIZE_S } from "@fabricatio/constants";
import type { Price } from "../router/cost.js";
import type { Model, ModelKind } from "../types.js";
import { type Reservation, SlidingWindow } from "./sliding-window.js";
import type { AsyncRateLimiter, LimiterWatcher, RateLimiter, RateLimitStore } from "./spec.js";

// Unlimited deployments share one reservation: nothing ever reconciles or releases it.
const UNLIMITED: Reservation = Object.freeze({
  bucket: 0,
  requests: 0,
  tokens: 0,
  inFlight: false,
}) as Reservation;

/** Limits of one deployment; maps to `routing.*_deployments[]` entries. */
export interface DeploymentOptions {
  /** Requests per window. Unset: unlimited. */
  rpm?: number;
  /** Tokens per window (prompt estimate plus `max_completion_tokens`). Unset: unlimited. */
  tpm?: number;
  /** Window length in seconds, split into `BUCKET_COUNT` buckets. @default BUCKET_SIZE_S * BUCKET_COUNT (60) */
  windowS?: number;
  /**
   * Largest request in tokens (prompt estimate plus `max_completion_tokens`) the model accepts.
   * Larger requests go to another deployment of the group, or to the group's
   * `contextWindowFallbacks` group. Unset: unlimited.
   */
  contextWindow?: number;
  /** Prices in USD per million tokens; responses then carry `usage.cost`. Unset: no cost. */
  price?: Price;
  /**
   * Where the accounting lives; deployments with the same store and `storeKey` share a quota
   * (across processes for a shared store such as `RedisRateLimitStore`). Used only when `rpm`
   * or `tpm` is set. @default a private in-memory window
   */
  store?: RateLimitStore;
  /** Key of the quota in `store`. @default the deployment id, `<provider>/<model>` */
  storeKey?: string;
  /**
   * Time limit of one attempt on this deployment in ms, unless the call sets `timeoutMs`; it
   * also replaces the provider's `requestTimeoutMs`. @default the router's `timeoutMs`
   */
  timeoutMs?: number;
  /**
   * Longest silence between two chunks of a stream from this deployment, in ms, unless the call
   * sets one. @default the router's `streamIdleTimeoutMs`
   */
  streamIdleTimeoutMs?: number;
}

let setListener: (deployment: Deployment, listener: (() => void) | undefined) => void;
let notify: (deployment: object) => void;

/**
 * Makes `listener` the one function called when something that routing reads of `deployment`
 * changes: its in-flight count, its limiter's usage (when the limiter can be watched), or a
 * `notifyDeploymentChanged` call. `undefined` stops the calls.
 */
export function listenToDeployment(
  deployment: Deployment,
  listener: (() => void) | undefined,
): void {
  setListener(deployment, listener);
}

/** Calls the listener of `deployment` (anything else is ignored), e.g. on a circuit change. */
export function notifyDeploymentChanged(deployment: object): void {
  notify(deployment);
}

/** A model placed in a routing group, with its optional RPM/TPM tracker and in-flight count. */
export class Deployment<K extends ModelKind = ModelKind> {
  static {
    setListener = (deployment, listener) => {
      deployment.#listener = listener;
    };
    notify = (deployment) => {
      if (#listener in deployment) (deployment as Deployment).#listener?.();
    };
  }

  /** `<provider>/<model>`. */
  readonly id: string;
  readonly group: string;
  readonly model: Model<K>;
  /** Declared context window in tokens; `undefined`: unlimited. */
  readonly contextWindow: number | undefined;
  /** Prices in USD per million tokens, if configured. */
  readonly price: Price | undefined;
  /** The synchronous usage tracker; absent when neither `rpm` nor `tpm` is set, or the store is async. */
  readonly limiter: RateLimiter | undefined;
  /** The usage tracker of an asynchronous (shared) store, e.g. Redis; else absent. */
  readonly asyncLimiter: AsyncRateLimiter | undefined;
  /**
   * Whether routing to this deployment needs the request's token estimate (a TPM limit or a
   * context window). Counting a fresh prompt costs about 0.75 µs per token, so groups without
   * either skip it.
   */
  readonly needsTokenEstimate: boolean;
  /** Time limit of one attempt in ms, when the deployment sets one. */
  readonly timeoutMs: number | undefined;
  /** Longest silence inside a stream in ms, when the deployment sets one. */
  readonly streamIdleTimeoutMs: number | undefined;
  #inFlight = 0;
  #listener: (() => void) | undefined;
  // Held here so that it lives as long as the deployment: a limiter holds its watchers weakly.
  readonly #limiterWatcher: LimiterWatcher = { limiterChanged: () => this.#listener?.() };

  constructor(group: string, model: Model<K>, options: DeploymentOptions = {}) {
    this.group = group;
    this.model = model;
    this.id = `${model.provider.name}/${model.name}`;
    this.contextWindow = options.contextWindow;
    this.price = options.price;
    this.timeoutMs = options.timeoutMs;
    this.streamIdleTimeoutMs = options.streamIdleTimeoutMs;
    this.needsTokenEstimate = options.tpm !== undefined || options.contextWindow !== undefined;
    const windowS = options.windowS ?? BUCKET_SIZE_S * BUCKET_COUNT;
    const limits = {
      rpm: options.rpm,
      tpm: options.tpm,
      bucketCount: BUCKET_COUNT,
      bucketSizeMs: (windowS * 1000) / BUCKET_COUNT,
    };
    let limiter: RateLimiter | AsyncRateLimiter | undefined;
    if (options.rpm !== undefined || options.tpm !== undefined) {
      limiter = options.store
        ? options.store.limiter(options.storeKey ?? this.id, limits)
        : new SlidingWindow(limits);
    }
    this.limiter = limiter?.isAsync ? undefined : limiter;
    this.asyncLimiter = limiter?.isAsync ? limiter : undefined;
    if (this.limiter?.snapshot && this.limiter.watch) this.limiter.watch(this.#limiterWatcher);
  }

  /** Requests dispatched and not yet answered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  set inFlight(count: number) {
    this.#inFlight = count;
    this.#listener?.();
  }

  /** Milliseconds until a request of `tokens` fits (0: now). An async store always reports 0 here. */
  waitMs(tokens: number, nowMs: number): number {
    return this.limiter?.waitMs(tokens, nowMs) ?? 0;
  }

  /**
   * Reserves one request and `tokens`, or returns the wait in ms. Unlimited (or an async store,
   * which the router reserves in directly): an empty reservation.
   */
  tryReserve(tokens: number, nowMs: number): Reservation | number {
    return this.limiter ? this.limiter.tryReserve(tokens, nowMs) : UNLIMITED;
  }
}
