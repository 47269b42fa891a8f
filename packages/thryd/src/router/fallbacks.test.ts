import { describe, expect, it } from "vitest";
import { BudgetExceededError } from "../errors/budget-exceeded-error.js";
import { CircuitOpenError } from "../errors/circuit-open-error.js";
import { ContextWindowExceededError } from "../errors/context-window-exceeded-error.js";
import { FallbackExhaustedError } from "../errors/fallback-exhausted-error.js";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { UnknownGroupError } from "../errors/router-errors.js";
import {
  AbortedError,
  ApiError,
  NetworkError,
  ParseError,
  SseError,
  TimeoutError,
} from "../errors/transport-errors.js";
import { routeByContextWindow, runWithFallbacks, shouldFallback } from "./fallbacks.js";

describe("shouldFallback", () => {
  it("moves on after provider, limit, circuit and context-window errors", () => {
    for (const error of [
      new ApiError({ status: 400, body: "content_filter", url: "u" }),
      new ApiError({ status: 404, body: "", url: "u" }),
      new ApiError({ status: 503, body: "", url: "u" }),
      new NetworkError("u", new Error("reset")),
      new TimeoutError("u", 10),
      new SseError("broken"),
      new ParseError("answer"),
      new RateLimitExceededError("g", 100),
      new CircuitOpenError("g", 0),
      new ContextWindowExceededError("g", 10, 5),
    ]) {
      expect(shouldFallback(error), error.code).toBe(true);
    }
  });

  it("stops on aborts, budgets, configuration errors and foreign errors", () => {
    for (const error of [
      new AbortedError("x"),
      new BudgetExceededError({ group: "g", spentUsd: 1, limitUsd: 1, resetsAtMs: 0 }),
      new UnknownGroupError("g"),
      new TypeError("bug"),
    ]) {
      expect(shouldFallback(error)).toBe(false);
    }
  });
});

describe("runWithFallbacks", () => {
  const fail = (status: number) => new ApiError({ status, body: "", url: "u" });

  it("returns the first group's answer that succeeds", async () => {
    const tried: string[] = [];
    const answer = await runWithFallbacks({
      group: "a",
      fallbacks: ["b", "c"],
      deploymentOf: () => undefined,
      run: async (group) => {
        tried.push(group);
        if (group === "a") throw fail(500);
        return group;
      },
    });
    expect(answer).toBe("b");
    expect(tried).toEqual(["a", "b"]);
  });

  it("throws an error that forbids falling back as it is, mid-chain too", async () => {
    const abort = new AbortedError("x");
    await expect(
      runWithFallbacks({
        group: "a",
        fallbacks: ["b", "c"],
        deploymentOf: () => undefined,
        run: async (group) => {
          throw group === "a" ? fail(500) : abort;
        },
      }),
    ).rejects.toBe(abort);
  });

  it("names the group a limit error refers to in the attempts", async () => {
    const error = await runWithFallbacks({
      group: "a",
      fallbacks: ["b"],
      deploymentOf: (caught) => (caught instanceof ApiError ? "p/m" : undefined),
      run: async (group) => {
        throw group === "a" ? new RateLimitExceededError("a-overflow", 5) : fail(502);
      },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FallbackExhaustedError);
    expect(
      (error as FallbackExhaustedError).attempts.map(({ group, deployment }) => [
        group,
        deployment,
      ]),
    ).toEqual([
      ["a-overflow", undefined],
      ["b", "p/m"],
    ]);
    expect((error as Error).message).toContain("THRYD_RATE_LIMIT_EXCEEDED");
  });
});

describe("routeByContextWindow", () => {
  const groups: Record<string, { contextWindow: number | undefined }[]> = {
    small: [{ contextWindow: 100 }, { contextWindow: 200 }],
    large: [{ contextWindow: 1000 }],
    open: [{ contextWindow: undefined }],
  };
  const of = (group: string) => groups[group]!;

  it("keeps the group when one deployment holds the request, without counting tokens for open groups", () => {
    expect(routeByContextWindow("small", () => 200, of, {})).toBe("small");
    expect(
      routeByContextWindow(
        "open",
        () => {
          throw new Error("counted");
        },
        of,
        {},
      ),
    ).toBe("open");
  });

  it("sends an oversized request to the overflow group, or fails naming the group", () => {
    expect(routeByContextWindow("small", () => 500, of, { small: "large" })).toBe("large");
    expect(() => routeByContextWindow("small", () => 500, of, {})).toThrow(
      expect.objectContaining({ code: "THRYD_CONTEXT_WINDOW_EXCEEDED", largestWindow: 200 }),
    );
    expect(() => routeByContextWindow("small", () => 5000, of, { small: "large" })).toThrow(
      expect.objectContaining({ group: "large", tokens: 5000, largestWindow: 1000 }),
    );
  });
});
