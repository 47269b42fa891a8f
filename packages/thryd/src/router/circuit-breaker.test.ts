import { describe, expect, it } from "vitest";
import {
  ContentFilteredError,
  IncompleteResponseError,
  InvalidRequestError,
  UnsupportedFeatureError,
} from "../errors/request-errors.js";
import { AbortedError, ApiError, NetworkError } from "../errors/transport-errors.js";
import { CircuitBreaker } from "./circuit-breaker.js";

const deployment = { id: "p/m", group: "g" };
const serverError = () => new ApiError({ status: 500, body: "", url: "u" });

describe("CircuitBreaker", () => {
  it("opens after the threshold of consecutive failures, not before", () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000 });
    breaker.failed(deployment, serverError(), 0);
    breaker.failed(deployment, new NetworkError("u", new Error("reset")), 0);
    expect(breaker.state(deployment, 0)).toBe("closed");
    breaker.failed(deployment, serverError(), 10);
    expect(breaker.state(deployment, 10)).toBe("open");
    expect(breaker.isAvailable(deployment, 500)).toBe(false);
    expect(breaker.health([deployment], 500)).toEqual([
      { group: "g", deployment: "p/m", state: "open", consecutiveFailures: 3, openUntilMs: 1010 },
    ]);
  });

  it("resets the count on a success", () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2 });
    breaker.failed(deployment, serverError(), 0);
    breaker.succeeded(deployment);
    breaker.failed(deployment, serverError(), 0);
    expect(breaker.state(deployment, 0)).toBe("closed");
  });

  it("opens at once on a 429 without Retry-After, but not on one with it", () => {
    const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 100 });
    const other = { id: "p/n", group: "g" };
    breaker.failed(other, new ApiError({ status: 429, body: "", url: "u", retryAfterMs: 50 }), 0);
    expect(breaker.state(other, 0)).toBe("closed");
    breaker.failed(deployment, new ApiError({ status: 429, body: "", url: "u" }), 0);
    expect(breaker.state(deployment, 0)).toBe("open");
  });

  it("lets exactly one probe through when half-open, and closes on its success", () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100 });
    breaker.failed(deployment, serverError(), 0);
    expect(breaker.state(deployment, 100)).toBe("half-open");
    expect(breaker.isAvailable(deployment, 100)).toBe(true);
    breaker.dispatched(deployment, 100);
    expect(breaker.isAvailable(deployment, 101)).toBe(false);
    breaker.succeeded(deployment);
    expect(breaker.state(deployment, 101)).toBe("closed");
  });

  it("opens again for a full cooldown when the probe fails", () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 100 });
    for (let index = 0; index < 3; index++) breaker.failed(deployment, serverError(), 0);
    breaker.dispatched(deployment, 150);
    breaker.failed(deployment, serverError(), 150);
    expect(breaker.state(deployment, 249)).toBe("open");
    expect(breaker.state(deployment, 250)).toBe("half-open");
  });

  it("ignores caller aborts and bad requests", () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    breaker.failed(deployment, new AbortedError("x"), 0);
    breaker.failed(deployment, new ApiError({ status: 400, body: "", url: "u" }), 0);
    expect(breaker.state(deployment, 0)).toBe("closed");
  });

  it("ignores what says nothing about the deployment: bad fields and filtered answers", () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    breaker.failed(deployment, new InvalidRequestError("seed", "must be an integer"), 0);
    breaker.failed(deployment, new UnsupportedFeatureError("seed", "anthropic"), 0);
    breaker.failed(deployment, new ContentFilteredError("model", "SAFETY"), 0);
    expect(breaker.state(deployment, 0)).toBe("closed");
    breaker.failed(deployment, new IncompleteResponseError("model", "no [DONE]"), 0);
    expect(breaker.state(deployment, 0)).toBe("open");
  });
});
