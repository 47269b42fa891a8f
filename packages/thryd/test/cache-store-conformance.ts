import { expect, type TestAPI } from "vitest";
import type { RouterCache } from "../src/index.js";

/**
 * The contract every store behind a `RouterCache` must keep, registered under the caller's `it`.
 * `makeCache` returns a fresh, empty cache for each test.
 */
export function cacheStoreConformance(it: TestAPI, makeCache: () => Promise<RouterCache>): void {
  it("returns undefined for a key never written", async () => {
    const cache = await makeCache();
    expect(await cache.get("missing")).toBeUndefined();
    await cache.close();
  });

  it("round-trips JSON values, nested arrays of floats included", async () => {
    const cache = await makeCache();
    const value = { content: "answer", usage: { total_tokens: 3 }, vector: [0.25, -1.5e-7, 3] };
    await cache.setMany([["k", value]]);
    expect(await cache.get("k")).toEqual(value);
    await cache.close();
  });

  it("reads many keys in order with misses in place", async () => {
    const cache = await makeCache();
    await cache.setMany([
      ["a", [1]],
      ["c", [3]],
    ]);
    expect(await cache.getMany(["a", "b", "c"])).toEqual([[1], undefined, [3]]);
    await cache.close();
  });

  it("overwrites a key on a second write", async () => {
    const cache = await makeCache();
    await cache.setMany([["k", "old"]]);
    await cache.setMany([["k", "new"]]);
    expect(await cache.get("k")).toBe("new");
    await cache.close();
  });

  it("forgets everything on clear", async () => {
    const cache = await makeCache();
    await cache.setMany([["k", 1]]);
    await cache.clear();
    expect(await cache.get("k")).toBeUndefined();
    await cache.close();
  });
}
