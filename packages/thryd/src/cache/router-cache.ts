import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { cacheDir, DEFAULT_CACHE_TTL_S } from "@fabricatio/constants";
import { getLogger } from "@fabricatio/logger";
import type * as KeyvRedisModule from "@keyv/redis";
import type KeyvSqliteClass from "@keyv/sqlite";
import Keyv, { type KeyvStoreAdapter } from "keyv";
import { CacheError } from "../errors/transport-errors.js";
import { redisClientOptions } from "../redis/redis-client-options.js";

/**
 * Cache settings of a router. `cache_database_path` of `routing` maps to `path`; the proposed
 * `cache_store` and `redis_url` map to `store` and `url`.
 */
export interface RouterCacheOptions {
  /** SQLite file of the default store. @default `<cacheDir()>/thryd/cache.sqlite` */
  path?: string;
  /**
   * `"redis"` for a cache shared by every process using the same Redis (`url`), any keyv store
   * (Map, a `KeyvRedis` of your own, …) or a ready `Keyv`; overrides `path`. @default SQLite
   */
  store?: "redis" | KeyvStoreAdapter | Map<unknown, unknown> | Keyv;
  /** Redis URL of `store: "redis"`. @default "redis://127.0.0.1:6379" */
  url?: string;
  /** Entry lifetime in seconds; 0 keeps entries forever. @default DEFAULT_CACHE_TTL_S (3600) */
  ttlS?: number;
  /** Key namespace inside the store. @default "thryd" */
  namespace?: string;
}

/** The default SQLite cache file under the platform cache directory. */
export function defaultCachePath(): string {
  return path.join(cacheDir(), "thryd", "cache.sqlite");
}

// @keyv/sqlite loads the native sqlite3 binding, so it is required only when the default store
// is built: importing thryd, or using another store, never loads it.
function createSqliteStore(file: string): KeyvStoreAdapter {
  const require = createRequire(import.meta.url);
  const { KeyvSqlite } = require("@keyv/sqlite") as { KeyvSqlite: typeof KeyvSqliteClass };
  return new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 });
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
 * A keyv-backed cache whose failures are logged and reported as misses, never thrown: a broken
 * cache must not lose an answer the model already produced.
 */
export class RouterCache {
  readonly keyv: Keyv;
  readonly ttlMs: number | undefined;
  readonly #logger = getLogger("thryd:cache");

  constructor(options: RouterCacheOptions = {}) {
    const ttlS = options.ttlS ?? DEFAULT_CACHE_TTL_S;
    this.ttlMs = ttlS > 0 ? ttlS * 1000 : undefined;
    if (options.store instanceof Keyv) {
      this.keyv = options.store;
    } else {
      let store = options.store;
      if (store === "redis") {
        store = createRedisStore(options.url ?? "redis://127.0.0.1:6379");
      } else if (!store) {
        const file = options.path ?? defaultCachePath();
        mkdirSync(path.dirname(file), { recursive: true });
        store = createSqliteStore(file);
      }
      this.keyv = new Keyv({
        store: store as KeyvStoreAdapter,
        namespace: options.namespace ?? "thryd",
        throwOnErrors: true,
      });
    }
    // Keyv emits each error as an event and, with `throwOnErrors`, also throws it: then the
    // throw is what we report. A caller's Keyv without `throwOnErrors` only emits.
    this.keyv.on("error", (error: unknown) => {
      if (this.keyv.throwOnErrors) {
        this.#logger.debug(() => `Cache store event: ${(error as Error)?.message ?? error}`);
      } else {
        this.#report("store", error);
      }
    });
  }

  #report(operation: string, error: unknown): void {
    const wrapped = new CacheError(operation, error);
    this.#logger.warn(wrapped.message, { code: wrapped.code });
  }

  /** The cached values of `keys`, `undefined` for misses or when the store fails. */
  async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    try {
      if (keys.length === 1) return [(await this.keyv.get<T>(keys[0]!)) ?? undefined];
      const values = await this.keyv.getMany<T>([...keys]);
      return values.map((value) => value ?? undefined);
    } catch (error) {
      this.#report("read", error);
      return keys.map(() => undefined);
    }
  }

  /** The cached value of `key`, or `undefined`. */
  async get<T>(key: string): Promise<T | undefined> {
    return (await this.getMany<T>([key]))[0];
  }

  /** Stores entries with the configured TTL; failures are logged. */
  async setMany(entries: readonly (readonly [string, unknown])[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await Promise.all(entries.map(([key, value]) => this.keyv.set(key, value, this.ttlMs)));
    } catch (error) {
      this.#report("write", error);
    }
  }

  /** Removes every entry of the namespace. */
  async clear(): Promise<void> {
    await this.keyv.clear();
  }

  /** Closes the store's connection. */
  async close(): Promise<void> {
    try {
      await this.keyv.disconnect();
    } catch (error) {
      this.#report("close", error);
    }
  }
}
