import { describe, expect, it } from "vitest";
import { type Candidate, pickCandidate } from "./strategies.js";

const candidates = (waits: number[], inFlight: number[] = []): Candidate[] =>
  waits.map((waitMs, index) => ({ index, waitMs, inFlight: inFlight[index] ?? 0 }));

describe("pickCandidate", () => {
  it("least-wait rotates among ready deployments from the cursor", () => {
    expect(pickCandidate("least-wait", candidates([0, 0, 0]), 1).index).toBe(1);
    expect(pickCandidate("least-wait", candidates([0, 50, 0]), 1).index).toBe(2);
  });

  it("returns the smallest wait when nothing is ready", () => {
    expect(pickCandidate("least-wait", candidates([300, 100, 200]), 0)).toMatchObject({
      index: 1,
      waitMs: 100,
    });
  });

  it("first-available ignores the cursor", () => {
    expect(pickCandidate("first-available", candidates([10, 0, 0]), 2).index).toBe(1);
  });

  it("least-busy picks the ready deployment with the fewest requests in flight", () => {
    expect(pickCandidate("least-busy", candidates([0, 0, 0], [3, 1, 2]), 0).index).toBe(1);
  });

  it("round-robin takes the next ready deployment in rotation", () => {
    expect(pickCandidate("round-robin", candidates([0, 0, 0]), 2).index).toBe(2);
  });
});
