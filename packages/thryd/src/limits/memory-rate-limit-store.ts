import { SlidingWindow } from "./sliding-window.js";
import type { RateLimiter, RateLimitStore, RateLimits } from "./spec.js";

/**
 * The default {@link RateLimitStore}: one {@link SlidingWindow} per key in this process. Two
 * deployments of one router given this store and the same key share a quota.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly name = "memory";
  readonly #windows = new Map<string, SlidingWindow>();

  limiter(key: string, limits: RateLimits): RateLimiter {
    let window = this.#windows.get(key);
    if (!window) {
      window = new SlidingWindow(limits);
      this.#windows.set(key, window);
    }
    return window;
  }
}
