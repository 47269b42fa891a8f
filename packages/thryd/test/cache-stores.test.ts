import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, it } from "vitest";
import { RouterCache } from "../src/index.js";
import { cacheStoreConformance } from "./cache-store-conformance.js";

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
