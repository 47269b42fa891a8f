import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { initLogger } from "@fabricatio/logger";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCompletionRouter, DummyProvider, RouterCache } from "../src/index.js";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const directory = mkdtempSync(path.join(tmpdir(), "thryd-broken-cache-"));
const JUNK = "this is not an sqlite database, just text ".repeat(100);
let lines: string[] = [];

beforeAll(() => {
  initLogger({
    level: "WARN",
    colorize: false,
    stream: {
      write: (text: string) => {
        lines.push(text);
      },
    },
  });
});
beforeEach(() => {
  lines = [];
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function routerWith(cache: RouterCache) {
  const provider = new DummyProvider();
  const router = createCompletionRouter({ cache }).addProvider(provider);
  router.deploy("g", "dummy/a");
  return { router, model: provider.model("completion", "a") };
}

const cacheWarnings = () => lines.filter((line) => line.includes("thryd:cache"));

// Each case is a cache path the store cannot open; `make` builds it under `root`.
const UNOPENABLE: [string, (root: string) => string][] = [
  [
    "a file that is not a database",
    (root) => {
      writeFileSync(path.join(root, "cache.sqlite"), JUNK);
      return path.join(root, "cache.sqlite");
    },
  ],
  [
    "a directory",
    (root) => {
      mkdirSync(path.join(root, "cache.sqlite"));
      return path.join(root, "cache.sqlite");
    },
  ],
  [
    "in a folder that cannot be created (a file stands in the way)",
    (root) => {
      writeFileSync(path.join(root, "blocker"), "a file, not a folder");
      return path.join(root, "blocker", "sub", "cache.sqlite");
    },
  ],
  // Node's recursive mkdir never returns for a path under /proc; here it must fail at once.
  ["under /proc, where folders cannot be made", () => "/proc/thryd-cache-test/sub/cache.sqlite"],
];

describe("A cache that cannot be opened", () => {
  let cases = 0;
  for (const [name, make] of UNOPENABLE) {
    it(`still answers every request when the path is ${name}, logging it once`, async () => {
      const root = path.join(directory, `case-${cases++}`);
      mkdirSync(root);
      const cache = new RouterCache({ path: make(root) });
      const { router, model } = routerWith(cache);
      model.respond("one", "two", "three");
      expect((await router.invoke("g", { message: "a" })).content).toBe("one");
      expect((await router.invoke("g", { message: "b" })).content).toBe("two");
      expect((await router.invoke("g", { message: "c" })).content).toBe("three");
      // The memory tier still works with the store gone.
      expect((await router.invoke("g", { message: "a" })).content).toBe("one");
      expect(model.calls).toHaveLength(3);
      expect(cacheWarnings()).toHaveLength(1);
      expect(cacheWarnings()[0]).toContain("cache.sqlite");
      await cache.close();
    }, 30_000);
  }

  it("is never opened by noCache calls: no error, no log, the file left as it was", async () => {
    const file = path.join(directory, "no-cache.sqlite");
    writeFileSync(file, JUNK);
    const cache = new RouterCache({ path: file });
    const { router, model } = routerWith(cache);
    model.respond("fresh", "fresh again");
    const first = await router.invoke("g", { message: "x" }, { noCache: true });
    const chunks: string[] = [];
    for await (const delta of router.stream("g", { message: "x" }, { noCache: true })) {
      chunks.push(delta);
    }
    expect(first.content).toBe("fresh");
    expect(chunks.join("")).toBe("fresh again");
    await cache.close();
    expect(lines).toEqual([]);
    expect(readFileSync(file, "utf8")).toBe(JUNK);
  });

  it("leaves a cache with the memory tier off answering from the model every time", async () => {
    const file = path.join(directory, "memory-off.sqlite");
    writeFileSync(file, JUNK);
    const cache = new RouterCache({ path: file, memoryMaxEntries: 0 });
    const { router, model } = routerWith(cache);
    model.respond("fresh", "fresh again");
    expect((await router.invoke("g", { message: "x" })).content).toBe("fresh");
    expect((await router.invoke("g", { message: "x" })).content).toBe("fresh again");
    expect(cacheWarnings()).toHaveLength(1);
    await cache.close();
  });
});

describe("A read-only cache database", () => {
  // Root writes to read-only files anyway, so then the worker runs as `nobody`.
  const asRoot = process.getuid?.() === 0;

  it("serves its entries, answers new questions, and logs the failed write once", async () => {
    const folder = path.join(directory, "read-only");
    mkdirSync(folder);
    const file = path.join(folder, "cache.sqlite");
    const seed = new RouterCache({ path: file, memoryMaxEntries: 0 });
    const { router, model } = routerWith(seed);
    model.respond("stored earlier");
    await router.invoke("g", { message: "old" });
    await seed.close();
    chmodSync(file, 0o444);
    chmodSync(folder, 0o555);
    chmodSync(directory, 0o755);
    const { stdout, stderr } = await run(
      process.execPath,
      [path.join(here, "workers", "read-only-cache.mjs"), file],
      { timeout: 60_000, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) },
    );
    expect(JSON.parse(stdout)).toEqual({
      old: "stored earlier",
      fresh: "new answer",
      repeated: "new answer",
      modelCalls: 1,
    });
    expect(stderr.split("\n").filter((line) => line.includes("thryd:cache"))).toHaveLength(1);
    expect(stderr).toMatch(/readonly/i);
    chmodSync(folder, 0o755);
  }, 60_000);
});
