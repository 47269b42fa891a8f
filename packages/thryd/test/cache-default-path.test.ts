// `cache: true` (README: "SQLite at defaultCachePath(), i.e. <cacheDir()>/thryd/cache.sqlite")
// with the platform cache directory pointed at a temp dir through XDG_CACHE_HOME, as on Linux,
// where cacheDir() is `$XDG_CACHE_HOME/fabricatio`.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCompletionRouter, DummyProvider, defaultCachePath } from "../src/index.js";

const home = mkdtempSync(path.join(tmpdir(), "thryd-cache-home-"));
const file = path.join(home, "fabricatio", "thryd", "cache.sqlite");
beforeEach(() => {
  vi.stubEnv("XDG_CACHE_HOME", home);
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

function routerWithDefaultCache() {
  const provider = new DummyProvider();
  const router = createCompletionRouter({ cache: true }).addProvider(provider);
  router.deploy("g", "dummy/a");
  return { router, model: provider.model("completion", "a") };
}

describe("cache: true", () => {
  it("keeps answers in <XDG_CACHE_HOME>/fabricatio/thryd/cache.sqlite, created on first use", async () => {
    expect(defaultCachePath()).toBe(file);
    const first = routerWithDefaultCache();
    // Nothing is opened or created when the router is built.
    expect(existsSync(file)).toBe(false);
    first.model.respond("kept on disk");
    await first.router.invoke("g", { message: "remember me" });
    expect(existsSync(file)).toBe(true);
    await first.router.cache?.close();

    // Another router (its own, empty memory tier) answers from the file, not from its model.
    const second = routerWithDefaultCache();
    await expect(second.router.invoke("g", { message: "remember me" })).resolves.toMatchObject({
      content: "kept on disk",
    });
    expect(second.model.calls).toHaveLength(0);
    await second.router.cache?.close();
  });
});
