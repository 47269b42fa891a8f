import { describe, expect, it } from "vitest";
import { median, pairedRatio, percentile } from "./stats.js";

describe("percentile", () => {
  const hundred = Array.from({ length: 100 }, (_, index) => index + 1);

  it("takes the nearest rank, so p50 of 1..100 is 50 and p99 is 99", () => {
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 1)).toBe(100);
  });

  it("returns the only value of a one-element array for any fraction", () => {
    expect(percentile([7], 0)).toBe(7);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it("is NaN for an empty array rather than undefined", () => {
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe("median", () => {
  it("sorts its input and averages the middle pair of an even count", () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("leaves the caller's array in its order", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe("pairedRatio", () => {
  it("takes the median of round-by-round ratios, not the ratio of the best rounds", () => {
    // Best rounds: 200 / 100 = 2, but round by round the first is 1.1, 1.2 and 2.0 times the second.
    expect(pairedRatio([110, 120, 200], [100, 100, 100])).toBeCloseTo(1.2, 10);
  });

  it("pairs only the rounds both sides have", () => {
    expect(pairedRatio([10, 20, 30], [10, 10])).toBeCloseTo(1.5, 10);
    expect(pairedRatio([], [1])).toBeNaN();
  });
});
