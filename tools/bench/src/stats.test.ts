import { describe, expect, it } from "vitest";
import { median, percentile } from "./stats.js";

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
