import { describe, expect, it } from "vitest";
import { nextDown, nextUp } from "./float-steps.js";

describe("nextUp and nextDown", () => {
  it("step to the adjacent double on both sides of zero and across exponents", () => {
    for (const value of [1, 1.5, 2, 1_700_000_000_123.25, 1e-300, -1, -2, -1e300, 2 ** 32]) {
      const up = nextUp(value);
      const down = nextDown(value);
      expect(up).toBeGreaterThan(value);
      expect(down).toBeLessThan(value);
      // Nothing lies between: the midpoint rounds to one of the two ends.
      expect([value, up]).toContain(value + (up - value) / 2);
      expect([down, value]).toContain(down + (value - down) / 2);
      expect(nextDown(up)).toBe(value);
      expect(nextUp(down)).toBe(value);
    }
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextDown(0)).toBe(-Number.MIN_VALUE);
    expect(nextDown(2)).toBe(2 - 2 ** -52);
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextUp(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});
