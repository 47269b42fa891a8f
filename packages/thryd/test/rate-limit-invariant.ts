import {
  estimateTokens,
  lastUserText,
  type MockLlmServer,
  type RecordedRequest,
} from "@fabricatio/mock-llm";
import { expect } from "vitest";
import {
  createCompletionRouter,
  OpenAICompatibleProvider,
  type RateLimitStore,
} from "../src/index.js";

/** One request as the upstream saw it: when it arrived and the tokens it charged for it. */
export interface Arrival {
  at: number;
  tokens: number;
}

/** The most requests and the most tokens whose arrivals fall in any one window. */
export interface BusiestWindow {
  requests: number;
  tokens: number;
}

/**
 * Each chat request the mock received, with its arrival time and the tokens the mock reported as
 * its usage (prompt plus the echoed answer). That usage is what the router reconciles its
 * reservation to, so it is the upstream's own count the limit must hold for.
 */
export function arrivalsOf(requests: readonly RecordedRequest[]): Arrival[] {
  return requests
    .filter((request) => request.path.endsWith("/chat/completions"))
    .map((request) => {
      const prompt = lastUserText(request.body);
      return {
        at: request.receivedAt,
        tokens: estimateTokens(prompt) + estimateTokens(`echo: ${prompt}`),
      };
    })
    .sort((left, right) => left.at - right.at);
}

/**
 * The busiest half-open window `[t, t + windowMs)` of the arrival log, by requests and by tokens
 * (each maximised on its own). Every window worth checking starts at an arrival.
 */
export function busiestWindow(arrivals: readonly Arrival[], windowMs: number): BusiestWindow {
  let requests = 0;
  let tokens = 0;
  for (const start of arrivals) {
    const inWindow = arrivals.filter(
      (entry) => entry.at >= start.at && entry.at < start.at + windowMs,
    );
    requests = Math.max(requests, inWindow.length);
    tokens = Math.max(
      tokens,
      inWindow.reduce((sum, entry) => sum + entry.tokens, 0),
    );
  }
  return { requests, tokens };
}

/**
 * A deliberately broken store for proving that the invariant tests bite: it hands out `store`'s
 * limiters with one limit dropped, so that limiter never checks it. Injected through the
 * `RateLimitStore` spec, as any store a user writes.
 */
export function withoutCheck(store: RateLimitStore, check: "rpm" | "tpm"): RateLimitStore {
  return {
    name: `${store.name} without its ${check} check`,
    limiter: (key, limits) => store.limiter(key, { ...limits, [check]: undefined }),
    close: () => store.close?.() ?? Promise.resolve(),
  };
}

/** The window the invariant tests run and measure: the README claims the limits over it. */
export const WINDOW_S = 2;
export const WINDOW_MS = WINDOW_S * 1000;

/** An RPM-bound run: many small requests, a TPM far above what they use. */
export const RPM_BOUND = { rpm: 20, tpm: 1_000_000, requests: 50 } as const;

/**
 * A TPM-bound run: large prompts with `max_completion_tokens`, about 500 tokens each as the mock
 * counts them, so a 2 s window takes about seven; the RPM is far above what they use.
 */
export const TPM_BOUND = {
  rpm: 1_000,
  tpm: 4_000,
  requests: 20,
  maxCompletionTokens: 400,
} as const;

const PARAGRAPH =
  "Rate limits hold at the provider, not only in the router's books: every window of the " +
  "upstream's arrival log must stay within the deployment's requests and tokens per window, " +
  "whatever the order in which a burst of concurrent callers reached the limiter. ";

/** The prompt of request `index` in a TPM-bound run (about 1,000 characters). */
export const largePrompt = (index: number) => `request ${index}: ${PARAGRAPH.repeat(4)}`;

/**
 * The two bursts of the invariant tests, each sent at once through one deployment with the
 * given store (unset: the default in-memory window) to `mock`, each returning the busiest 2 s
 * window of the mock's arrival log once every request was answered.
 */
export function invariantBursts(mock: () => MockLlmServer) {
  function deployment(limits: { rpm: number; tpm: number }, store?: RateLimitStore) {
    const router = createCompletionRouter().addProvider(
      new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
    );
    router.deploy("g", "mock/m", { ...limits, windowS: WINDOW_S, ...(store ? { store } : {}) });
    return router;
  }

  async function rpmBound(store?: RateLimitStore): Promise<BusiestWindow> {
    mock().setDefault({ type: "ok", latencyMs: 20 });
    const router = deployment(RPM_BOUND, store);
    await Promise.all(
      Array.from({ length: RPM_BOUND.requests }, (_, index) =>
        router.invoke("g", { message: `small request ${index}` }),
      ),
    );
    expect(mock().requestCount).toBe(RPM_BOUND.requests);
    return busiestWindow(arrivalsOf(mock().requests), WINDOW_MS);
  }

  async function tpmBound(store?: RateLimitStore): Promise<BusiestWindow> {
    mock().setDefault({ type: "ok", latencyMs: 20 });
    const router = deployment(TPM_BOUND, store);
    await Promise.all(
      Array.from({ length: TPM_BOUND.requests }, (_, index) =>
        router.invoke("g", {
          message: largePrompt(index),
          max_completion_tokens: TPM_BOUND.maxCompletionTokens,
        }),
      ),
    );
    expect(mock().requestCount).toBe(TPM_BOUND.requests);
    return busiestWindow(arrivalsOf(mock().requests), WINDOW_MS);
  }

  return { rpmBound, tpmBound };
}

/** What the mock charges for the largest prompt of the TPM-bound run. */
export function largestUpstreamCharge(): number {
  const prompt = largePrompt(TPM_BOUND.requests);
  return estimateTokens(prompt) + estimateTokens(`echo: ${prompt}`);
}
