import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { createCompletionRouter, DummyProvider, RouterCache } from "../src/index.js";

const directory = mkdtempSync(path.join(tmpdir(), "thryd-cache-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

function routerWith(cache: RouterCache) {
  const provider = new DummyProvider();
  const router = createCompletionRouter({ cache }).addProvider(provider);
  router.deploy("g", "dummy/a");
  return { router, model: provider.model("completion", "a") };
}

describe("RouterCache on SQLite", () => {
  it("persists answers across router instances in a real file", async () => {
    const file = path.join(directory, "nested", "persist.sqlite");
    const first = new RouterCache({ path: file });
    const one = routerWith(first);
    one.model.respond("persisted");
    await one.router.invoke("g", { message: "keep me" });
    await first.close();

    const second = new RouterCache({ path: file });
    const two = routerWith(second);
    await expect(two.router.invoke("g", { message: "keep me" })).resolves.toMatchObject({
      content: "persisted",
    });
    expect(two.model.calls).toHaveLength(0);
    await second.close();
  });

  it("expires entries after ttlS and keeps them forever with ttlS 0", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: 1_000_000 });
    const cache = new RouterCache({ path: path.join(directory, "ttl.sqlite"), ttlS: 10 });
    const forever = new RouterCache({ path: path.join(directory, "forever.sqlite"), ttlS: 0 });
    await cache.setMany([["k", "v"]]);
    await forever.setMany([["k", "v"]]);
    vi.setSystemTime(1_000_000 + 9_000);
    expect(await cache.get("k")).toBe("v");
    vi.setSystemTime(1_000_000 + 11_000);
    expect(await cache.get("k")).toBeUndefined();
    vi.setSystemTime(1_000_000 + 10 * 365 * 86_400_000);
    expect(await forever.get("k")).toBe("v");
    await cache.close();
    await forever.close();
  });
});
