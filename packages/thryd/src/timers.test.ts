import { afterEach, describe, expect, it, vi } from "vitest";
import { clampTimerMs, MAX_TIMER_MS } from "./timers.js";

describe("clampTimerMs", () => {
  afterEach(() => vi.useRealTimers());

  it.each([
    [0, 0],
    [-5, 0],
    [Number.NaN, 0],
    [1500, 1500],
    [MAX_TIMER_MS, MAX_TIMER_MS],
    [MAX_TIMER_MS + 1, MAX_TIMER_MS],
    [3600 * 24 * 30 * 1000, MAX_TIMER_MS],
    [Number.POSITIVE_INFINITY, MAX_TIMER_MS],
  ])("turns %d ms into %d ms", (input, expected) => {
    expect(clampTimerMs(input)).toBe(expected);
  });

  it("keeps a 30-day wait from firing after 1 ms", () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setTimeout(fired, clampTimerMs(30 * 24 * 3600 * 1000));
    vi.advanceTimersByTime(60_000);
    expect(fired).not.toHaveBeenCalled();
  });
});
