import { describe, expect, it } from "vitest";
import { maxInWindow, rateLimitAccuracy } from "./window-accuracy.js";

describe("maxInWindow", () => {
  it("counts a window as half-open, so an arrival exactly one window later is outside it", () => {
    expect(maxInWindow([0, 500, 999, 1000], 1000)).toBe(3);
  });

  it("finds a burst that straddles two fixed windows", () => {
    // Fixed windows 0..999 and 1000..1999 hold 3 each; the window from 900 holds all 6.
    expect(maxInWindow([900, 950, 990, 1000, 1050, 1100], 1000)).toBe(6);
    expect(maxInWindow([100, 900, 950, 1000, 1050, 1100], 1000)).toBe(5);
  });

  it("does not depend on the order the arrivals are given in", () => {
    expect(maxInWindow([3000, 0, 2500, 10, 2999], 1000)).toBe(3);
  });

  it("is 0 with no arrivals", () => {
    expect(maxInWindow([], 1000)).toBe(0);
  });
});

describe("rateLimitAccuracy", () => {
  it("is exactly 1 when the busiest window holds the quota", () => {
    const arrivals = Array.from({ length: 30 }, (_, index) => index * 100);
    expect(rateLimitAccuracy({ timestampsMs: arrivals, windowMs: 1000, quota: 10 })).toBe(1);
  });

  it("is above 1 when a window holds more than the quota", () => {
    const arrivals = Array.from({ length: 12 }, (_, index) => index * 10);
    expect(rateLimitAccuracy({ timestampsMs: arrivals, windowMs: 1000, quota: 10 })).toBe(1.2);
  });

  it("rejects a quota that is not positive", () => {
    expect(() => rateLimitAccuracy({ timestampsMs: [1], windowMs: 1000, quota: 0 })).toThrow(
      RangeError,
    );
  });
});
