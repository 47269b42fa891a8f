import { DEFAULT_CACHE_TTL_S } from "@fabricatio/constants";
import { getLogger } from "@fabricatio/logger";
import type { Cacheable } from "cacheable";
import Keyv from "keyv";
import { InvalidCacheOptionsError } from "../errors/invalid-cache-options-error.js";
import { CacheFailureLog } from "./cache-failure-log.js";
import { type CacheStoreOptions, openCacheStore } from "./open-cache-store.js";

/** Default of `RouterCacheOptions.memoryMaxEntries`: answers kept in process memory. */
export const DEFAULT_CACHE_MEMORY_MAX_ENTRIES = 1000;

/** Default of `RouterCacheOptions.memoryTtlS`: seconds an answer stays in process memory. */
export const DEFAULT_CACHE_MEMORY_TTL_S = 30;

/**
 * Cache settings of a router. `cache_database_path` of `routing` maps to `path`, `cache_store`
 * and `redis_url` to `store` and `url`, `cache_memory_max_entries` and `cache_memory_ttl_s` to
 * `memoryMaxEntries` and `memoryTtlS`.
 */
export interface RouterCacheOptions extends CacheStoreOptions {
  /** Entry lifetime in the store, in seconds; 0 keeps entries forever. @default DEFAULT_CACHE_TTL_S (3600) */
  ttlS?: number;
  /**
   * Most answers kept in process memory in front of the store (least recently used go first);
   * 0 turns the memory tier off. For embeddings an entry is one text's vector.
   * @default DEFAULT_CACHE_MEMORY_MAX_ENTRIES (1000)
   */
  memoryMaxEntries?: number;
  /**
   * Seconds an answer stays in process memory before it is read from the store again, never
   * longer than `ttlS`. A store shared by several processes (Redis, one SQLite file) may get a
   * newer answer for a key from another process (`invokeFresh`, `clear`): this process sees it
   * at the latest after this long.
   * @default DEFAULT_CACHE_MEMORY_TTL_S (30)
   */
  memoryTtlS?: number;
  /** Clock of the "at most one warning a minute" rule for failures. @default Date.now */
  now?: () => number;
}

function checkOptions(options: RouterCacheOptions): void {
  const { ttlS, memoryMaxEntries, memoryTtlS } = options;
  if (ttlS !== undefined && !(Number.isFinite(ttlS) && ttlS >= 0))
    throw new InvalidCacheOptionsError("ttlS", ttlS, "a number of seconds ≥ 0");
  if (
    memoryMaxEntries !== undefined &&
    !(Number.isSafeInteger(memoryMaxEntries) && memoryMaxEntries >= 0)
  )
    throw new InvalidCacheOptionsError("memoryMaxEntries", memoryMaxEntries, "an integer ≥ 0");
  if (memoryTtlS !== undefined && !(Number.isFinite(memoryTtlS) && memoryTtlS > 0))
    throw new InvalidCacheOptionsError("memoryTtlS", memoryTtlS, "a number of seconds > 0");
}

/**
 * The answer cache of a router: a bounded in-memory LRU (`cacheable`) in front of a keyv store
 * (SQLite by default, Redis, or any keyv store). Reads try memory first and fill it from the
 * store; writes go to both. Nothing is opened until the first read or write, so a router whose
 * calls all pass `noCache` never touches the store. Failures are logged (at most one WARN line a
 * minute) and reported as misses, never thrown: a broken cache must not lose an answer the model
 * already produced. A store that cannot be opened (a file that is not a database, a directory,
 * a folder that cannot be created) leaves the memory tier working on its own.
 * @throws {InvalidCacheOptionsError} from the constructor, for an option out of its range
 */
export class RouterCache {
  /** Lifetime of an entry in the store, in milliseconds; `undefined` keeps entries forever. */
  readonly ttlMs: number | undefined;
  /** Capacity of the memory tier; 0 when it is off. */
  readonly memoryMaxEntries: number;
  /** Lifetime of an entry in the memory tier, in milliseconds (at most `ttlMs`). */
  readonly memoryTtlMs: number;
  readonly #storeOptions: CacheStoreOptions;
  readonly #failures: CacheFailureLog;
  #tiers: Cacheable | undefined;
  #opening: Promise<Cacheable | undefined> | undefined;

  constructor(options: RouterCacheOptions = {}) {
    checkOptions(options);
    const ttlS = options.ttlS ?? DEFAULT_CACHE_TTL_S;
    this.ttlMs = ttlS > 0 ? ttlS * 1000 : undefined;
    this.memoryMaxEntries = options.memoryMaxEntries ?? DEFAULT_CACHE_MEMORY_MAX_ENTRIES;
    const memoryTtlMs = (options.memoryTtlS ?? DEFAULT_CACHE_MEMORY_TTL_S) * 1000;
    this.memoryTtlMs = this.ttlMs === undefined ? memoryTtlMs : Math.min(memoryTtlMs, this.ttlMs);
    const { path, store, url, namespace } = options;
    this.#storeOptions = { path, store, url, namespace };
    this.#failures = new CacheFailureLog(getLogger("thryd:cache"), options.now ?? Date.now);
  }

  #open(): Promise<Cacheable | undefined> {
    this.#opening ??= this.#build();
    return this.#opening;
  }

  async #build(): Promise<Cacheable | undefined> {
    // Loaded on first use: a router without a cache, or a CLI run that never reads it, skips it.
    const { Cacheable, KeyvCacheableMemory } = await import("cacheable");
    let store: Keyv | undefined;
    try {
      store = await openCacheStore(this.#storeOptions);
    } catch (error) {
      this.#failures.report("open", error);
    }
    // The memory tier keeps serialised entries (keyv's default), so every hit is a fresh copy
    // and a caller that edits an answer cannot change what the next caller gets.
    const memory =
      this.memoryMaxEntries > 0
        ? new Keyv({
            store: new KeyvCacheableMemory({ lruSize: this.memoryMaxEntries, useClone: false }),
            ttl: this.memoryTtlMs,
          })
        : undefined;
    const primary = memory ?? store;
    if (!primary) return undefined;
    const tiers = new Cacheable({ primary, ...(memory && store ? { secondary: store } : {}) });
    tiers.on("error", (error: unknown) => this.#failures.report("store", error));
    this.#tiers = tiers;
    return tiers;
  }

  // Per-store lifetimes: memory never outlives the store, and `undefined` (forever) in the store.
  #ttlOf(): number | { primary: number; secondary: number | undefined } | undefined {
    return this.memoryMaxEntries > 0
      ? { primary: this.memoryTtlMs, secondary: this.ttlMs }
      : this.ttlMs;
  }

  /** The cached value of `key`, or `undefined` for a miss or when the cache fails. */
  async get<T>(key: string): Promise<T | undefined> {
    try {
      const tiers = this.#tiers ?? (await this.#open());
      return ((await tiers?.get<T>(key)) ?? undefined) as T | undefined;
    } catch (error) {
      this.#failures.report("read", error);
      return undefined;
    }
  }

  /** The cached values of `keys` in order, `undefined` for misses or when the cache fails. */
  async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    if (keys.length === 1) return [await this.get<T>(keys[0]!)];
    try {
      const tiers = this.#tiers ?? (await this.#open());
      if (!tiers) return keys.map(() => undefined);
      const values = await tiers.getMany<T>([...keys]);
      return keys.map((_, index) => values[index] ?? undefined);
    } catch (error) {
      this.#failures.report("read", error);
      return keys.map(() => undefined);
    }
  }

  /** Stores entries in both tiers with the configured lifetimes; failures are logged. */
  async setMany(entries: readonly (readonly [string, unknown])[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      const tiers = this.#tiers ?? (await this.#open());
      if (!tiers) return;
      const ttl = this.#ttlOf();
      if (entries.length === 1) await tiers.set(entries[0]![0], entries[0]![1], { ttl });
      else await tiers.setMany(entries.map(([key, value]) => ({ key, value, ttl })));
    } catch (error) {
      this.#failures.report("write", error);
    }
  }

  /** Removes every entry of the namespace from both tiers. @throws the store's error */
  async clear(): Promise<void> {
    const tiers = this.#tiers ?? (await this.#open());
    await tiers?.clear();
  }

  /** Closes the store's connection, if it was ever opened. */
  async close(): Promise<void> {
    if (!this.#opening) return;
    try {
      await (await this.#opening)?.disconnect();
    } catch (error) {
      this.#failures.report("close", error);
    }
  }
}
