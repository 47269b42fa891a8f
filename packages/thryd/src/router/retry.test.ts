import { describe, expect, it, vi } from "vitest";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { ApiError, NetworkError, ParseError } from "../errors/transport-errors.js";
import { backoffMs, retryOnTransient } from "./retry.js";

const environment = () => {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
    random: () => 1 - Number.EPSILON,
  };
};

const api = (status: number, retryAfterMs?: number) =>
  new ApiError({ status, body: "x", url: "http://h/v1/chat/completions", retryAfterMs });

describe("retryOnTransient", () => {
  it("succeeds on the first try without waiting", async () => {
    const env = environment();
    await expect(retryOnTransient({}, async () => "ok", env)).resolves.toBe("ok");
    expect(env.waits).toEqual([]);
  });

  it("succeeds after transient failures with growing backoff", async () => {
    const env = environment();
    const operation = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new NetworkError("u", new Error("reset")))
      .mockRejectedValueOnce(api(503))
      .mockResolvedValue("ok");
    await expect(retryOnTransient({ initialBackoffMs: 100 }, operation, env)).resolves.toBe("ok");
    expect(env.waits).toEqual([100, 200]);
  });

  it("does not retry a non-transient error", async () => {
    const env = environment();
    const operation = vi.fn().mockRejectedValue(api(400));
    await expect(retryOnTransient({}, operation, env)).rejects.toMatchObject({ status: 400 });
    expect(operation).toHaveBeenCalledTimes(1);
    await expect(
      retryOnTransient({}, vi.fn().mockRejectedValue(new ParseError("x")), env),
    ).rejects.toBeInstanceOf(ParseError);
  });

  it("returns the last error once the retries are exhausted", async () => {
    const env = environment();
    const operation = vi
      .fn()
      .mockRejectedValueOnce(api(500))
      .mockRejectedValueOnce(api(502))
      .mockRejectedValueOnce(api(503));
    await expect(retryOnTransient({ maxRetries: 2 }, operation, env)).rejects.toMatchObject({
      status: 503,
    });
    expect(operation).toHaveBeenCalledTimes(3);
  });

  it("is off when no config is given", async () => {
    const operation = vi.fn().mockRejectedValue(api(500));
    await expect(retryOnTransient(undefined, operation, environment())).rejects.toBeTruthy();
    expect(operation).toHaveBeenCalledTimes(1);
  });
});

describe("backoffMs", () => {
  it("never waits less than a rate-limit wait or a Retry-After", () => {
    expect(backoffMs({}, 1, new RateLimitExceededError("g", 5_000), () => 0)).toBe(5_000);
    expect(backoffMs({}, 1, api(429, 7_000), () => 0)).toBe(7_000);
  });

  it("jitters between half and all of the capped exponential wait", () => {
    expect(backoffMs({ initialBackoffMs: 1000 }, 3, api(500), () => 0)).toBe(2000);
    expect(backoffMs({ initialBackoffMs: 1000, maxBackoffMs: 3000 }, 5, api(500), () => 0.5)).toBe(
      2250,
    );
  });
});
