import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RouterCache } from "../src/index.js";
import { cacheStoreConformance } from "./cache-store-conformance.js";
import { useRedisServer } from "./redis-server.js";

const directory = mkdtempSync(path.join(tmpdir(), "thryd-stores-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;

describe("in-memory Map store", () => {
  cacheStoreConformance(it, async () => new RouterCache({ store: new Map() }));
});

describe("SQLite store (default)", () => {
  cacheStoreConformance(
    it,
    async () => new RouterCache({ path: path.join(directory, `store-${files++}.sqlite`) }),
  );
});

describe('Redis store (store: "redis")', () => {
  const redis = useRedisServer();
  let namespaces = 0;
  // A namespace per test keeps the tests apart on the one server, as a fresh store would.
  cacheStoreConformance(
    it,
    async () =>
      new RouterCache({
        store: "redis",
        url: redis().url,
        namespace: `conformance-${namespaces++}`,
      }),
  );

  it("shares entries between two caches on the same Redis and namespace", async () => {
    const writer = new RouterCache({ store: "redis", url: redis().url, namespace: "shared" });
    const reader = new RouterCache({ store: "redis", url: redis().url, namespace: "shared" });
    const other = new RouterCache({ store: "redis", url: redis().url, namespace: "elsewhere" });
    await writer.setMany([["k", { content: "from the writer" }]]);
    expect(await reader.get("k")).toEqual({ content: "from the writer" });
    expect(await other.get("k")).toBeUndefined();
    await Promise.all([writer.close(), reader.close(), other.close()]);
  });
});
