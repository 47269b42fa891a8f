import { describe, expect, it } from "vitest";
import { ApiError } from "../errors/transport-errors.js";
import { KeyPool, keyHint } from "./key-pool.js";

const KEYS = ["key-aaaaaaaa-0001", "key-bbbbbbbb-0002", "key-cccccccc-0003"];
const rejected = (status: number, retryAfterMs?: number) =>
  new ApiError({ status, body: "{}", url: "http://x/", retryAfterMs });

function pool(keys = KEYS, cooldownMs = 1000) {
  const clock = { now: 0 };
  return { clock, pool: new KeyPool({ provider: "p", keys, cooldownMs, now: () => clock.now }) };
}

describe("KeyPool", () => {
  it("hands out keys round-robin", () => {
    const { pool: keys } = pool();
    expect([keys.next(), keys.next(), keys.next(), keys.next()]).toEqual([0, 1, 2, 0]);
  });

  it("skips a key cooling down after a 401 until its cooldown has passed", () => {
    const { clock, pool: keys } = pool();
    expect(keys.next()).toBe(0);
    keys.fail(0, rejected(401), "http://x/");
    expect([keys.next(), keys.next(), keys.next()]).toEqual([1, 2, 1]);
    clock.now = 1000;
    expect([keys.next(), keys.next()]).toEqual([2, 0]);
  });

  it("cools a 429 down for its Retry-After instead of the default", () => {
    const { clock, pool: keys } = pool(KEYS.slice(0, 2));
    keys.fail(0, rejected(429, 5000), "http://x/");
    clock.now = 4999;
    expect(keys.states()[0]).toMatchObject({
      coolingUntilMs: 5000,
      rejections: 1,
      lastStatus: 429,
    });
    expect([keys.next(), keys.next()]).toEqual([1, 1]);
    clock.now = 5000;
    expect(keys.states()[0]?.coolingUntilMs).toBeUndefined();
    expect(keys.next()).toBe(0);
  });

  it("makes a rejection retryable without Retry-After only while another key is ready", () => {
    const { clock, pool: keys } = pool(KEYS.slice(0, 2));
    const original = rejected(429, 3000);
    const first = keys.fail(0, original, "http://x/") as ApiError;
    expect(first).toMatchObject({ status: 429, isRetryable: true, retryAfterMs: undefined });
    expect(first.cause).toBe(original);
    clock.now = 10;
    // No other key is ready: the provider's own answer goes through, a 401 stays fatal.
    const unauthorised = rejected(401);
    expect(keys.fail(1, unauthorised, "http://x/")).toBe(unauthorised);
    expect(unauthorised.isRetryable).toBe(false);
    // Both cool now: the one whose cooldown ends first (key 1 at 1010, key 0 at 3000) is used.
    expect(keys.next()).toBe(1);
    expect(keys.next()).toBe(1);
  });

  it("passes other errors through untouched and leaves the key ready", () => {
    const { pool: keys } = pool();
    const error = rejected(500);
    expect(keys.fail(0, error, "http://x/")).toBe(error);
    const network = new Error("socket");
    expect(keys.fail(0, network, "http://x/")).toBe(network);
    expect(keys.states()[0]).toMatchObject({ coolingUntilMs: undefined, rejections: 0 });
  });

  it("describes keys by their last four characters only", () => {
    const { pool: keys } = pool();
    expect(keys.states().map((state) => state.hint)).toEqual(["…0001", "…0002", "…0003"]);
    expect(JSON.stringify(keys.states())).not.toContain("aaaaaaaa");
    expect(keyHint("short")).toBe("****");
  });
});
