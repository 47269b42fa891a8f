import { createRequire } from "node:module";
import path from "node:path";
import { cacheDir } from "@fabricatio/constants";
import type * as KeyvRedisModule from "@keyv/redis";
import type KeyvSqliteClass from "@keyv/sqlite";
import Keyv, { type KeyvStoreAdapter } from "keyv";
import { redisClientOptions } from "../redis/redis-client-options.js";
import { ensureDirectory } from "./ensure-directory.js";

/** Where the persistent tier of a `RouterCache` lives; the store fields of `RouterCacheOptions`. */
export interface CacheStoreOptions {
  /** SQLite file of the default store. @default `<cacheDir()>/thryd/cache.sqlite` */
  path?: string;
  /**
   * `"redis"` for a cache shared by every process using the same Redis (`url`), any keyv store
   * (Map, a `KeyvRedis` of your own, …) or a ready `Keyv`; overrides `path`. @default SQLite
   */
  store?: "redis" | KeyvStoreAdapter | Map<unknown, unknown> | Keyv;
  /** Redis URL of `store: "redis"`. @default "redis://127.0.0.1:6379" */
  url?: string;
  /** Key namespace inside the store. @default "thryd" */
  namespace?: string;
}

/** The default SQLite cache file under the platform cache directory. */
export function defaultCachePath(): string {
  return path.join(cacheDir(), "thryd", "cache.sqlite");
}

// @keyv/sqlite loads the native sqlite3 binding, so it is required only when the default store
// is opened: importing thryd, or using another store, never loads it.
async function openSqliteStore(file: string): Promise<KeyvStoreAdapter> {
  ensureDirectory(path.dirname(file));
  const require = createRequire(import.meta.url);
  const { KeyvSqlite } = require("@keyv/sqlite") as { KeyvSqlite: typeof KeyvSqliteClass };
  const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 });
  // KeyvSqlite opens the file in its constructor and reports a failure as an "error" event
  // (which throws without a listener) and a rejected promise nobody awaits until the first
  // query: without this probe a file that is not a database crashed the process even when no
  // request read the cache. The probe's rejection is what gets reported.
  store.on("error", () => {});
  await store.query("SELECT 1");
  return store;
}

// The error of a file that cannot be opened, its message naming the file.
function naming(file: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`${file}: ${message}`, { cause: error }), {
    code: (error as { code?: unknown } | undefined)?.code,
  });
}

// Loaded only for `store: "redis"`, as the SQLite store: other users never load a Redis client.
function createRedisStore(url: string): KeyvStoreAdapter {
  const require = createRequire(import.meta.url);
  const { default: KeyvRedis, createClient } = require("@keyv/redis") as typeof KeyvRedisModule;
  // KeyvRedis sends while its own `connect` is under way, so the client must queue.
  const { onReady, ...options } = redisClientOptions(url, { queue: true });
  const client = createClient(options);
  client.on("ready", onReady);
  return new KeyvRedis(client, { throwOnErrors: true });
}

/**
 * Opens the persistent tier described by `options`: the SQLite file (its directory created), a
 * Redis client (connected on first use) or the given store.
 * @throws the `fs` or SQLite error of a file that cannot be opened, its message naming the file
 */
export async function openCacheStore(options: CacheStoreOptions): Promise<Keyv> {
  if (options.store instanceof Keyv) return options.store;
  let store = options.store;
  if (store === "redis") {
    store = createRedisStore(options.url ?? "redis://127.0.0.1:6379");
  } else if (!store) {
    const file = options.path ?? defaultCachePath();
    store = await openSqliteStore(file).catch((error: unknown) => {
      throw naming(file, error);
    });
  }
  return new Keyv({
    store: store as KeyvStoreAdapter,
    namespace: options.namespace ?? "thryd",
    throwOnErrors: true,
  });
}
