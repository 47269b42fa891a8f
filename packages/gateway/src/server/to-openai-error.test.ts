import {
  AbortedError,
  ApiError,
  CircuitOpenError,
  FallbackExhaustedError,
  IncompleteResponseError,
  RateLimitExceededError,
  TimeoutError,
} from "@fabricatio/thryd";
import { describe, expect, it } from "vitest";
import { GatewayTimeoutError } from "../errors/lifecycle-errors.js";
import { toOpenAIError } from "./to-openai-error.js";

const NOW = 1_000_000;
const api = (status: number, retryAfterMs?: number) =>
  new ApiError({ status, body: '{"error":{"message":"no"}}', url: "https://x/v1", retryAfterMs });

describe("toOpenAIError", () => {
  it.each([
    [api(500), 502, "upstream_error"],
    [api(401), 502, "upstream_error"],
    [api(400), 400, "upstream_rejected"],
    [api(422), 400, "upstream_rejected"],
    [new TimeoutError("https://x", 5), 504, "upstream_timeout"],
    [new IncompleteResponseError("m", "no [DONE]"), 502, "upstream_error"],
    [new RateLimitExceededError("g", Number.POSITIVE_INFINITY), 400, "tokens_exceed_limit"],
  ])("maps %s to %i", (error, status, code) => {
    const answer = toOpenAIError(error, NOW);
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
  });

  it("gives Retry-After in whole seconds for waits, circuits and upstream 429s", () => {
    expect(toOpenAIError(new RateLimitExceededError("g", 1_200), NOW).headers).toEqual({
      "retry-after": "2",
    });
    const circuit = toOpenAIError(new CircuitOpenError("g", NOW + 30_000), NOW);
    expect(circuit.status).toBe(503);
    expect(circuit.headers["retry-after"]).toBe("30");
    const upstream = toOpenAIError(api(429, 4_000), NOW);
    expect(upstream.status).toBe(429);
    expect(upstream.headers["retry-after"]).toBe("4");
  });

  it("answers a fallback chain with the status of its last failure and the chain's message", () => {
    const chain = new FallbackExhaustedError("a", [
      { group: "a", deployment: "p/m", error: api(503) },
      { group: "b", deployment: "p/n", error: new TimeoutError("https://y", 5) },
    ]);
    const answer = toOpenAIError(chain, NOW);
    expect(answer.status).toBe(504);
    expect(answer.body.error.message).toContain('Group "a" and its fallbacks failed');
  });

  it("maps an abort caused by the gateway's own timeout to 504", () => {
    const aborted = new AbortedError("Request", new GatewayTimeoutError(1000));
    expect(toOpenAIError(aborted, NOW).status).toBe(504);
  });
});
