import { DEFAULT_CACHE_TTL_S } from "@fabricatio/constants";
import { getLogger } from "@fabricatio/logger";
import type Keyv from "keyv";
import { LRUCache } from "lru-cache";
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
  /** Clock of the memory tier's lifetimes and of the failure log. @default Date.now */
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
 * The answer cache of a router: a bounded in-memory LRU (`lru-cache`) in front of a keyv store
 * (SQLite by default, Redis, or any keyv store). Reads try memory first and fill it from the
 * store; writes go to both. The store is not opened until the first read or write that memory
 * cannot answer, so a router whose calls all pass `noCache` never touches it. Failures are logged
 * (at most one WARN line a minute) and reported as misses, never thrown: a broken cache must not
 * lose an answer the model already produced. A store that cannot be opened (a file that is not a
 * database, a directory, a folder that cannot be created) leaves the memory tier working alone.
 * @throws {InvalidCacheOptionsError} from the constructor, for an option out of its range
 */
export class RouterCache {
  /** Lifetime of an entry in the store, in milliseconds; `undefined` keeps entries forever. */
  readonly ttlMs: number | undefined;
  /** Capacity of the memory tier; 0 when it is off. */
  readonly memoryMaxEntries: number;
  /** Lifetime of an entry in the memory tier, in milliseconds (at most `ttlMs`). */
  readonly memoryTtlMs: number;
  // Entries are kept as JSON text: every hit parses a fresh copy, so a caller that edits an
  // answer cannot change what the next caller gets.
  readonly #memory: LRUCache<string, string> | undefined;
  readonly #storeOptions: CacheStoreOptions;
  readonly #failures: CacheFailureLog;
  readonly #now: () => number;
  #store: Keyv | undefined;
  #opening: Promise<Keyv | undefined> | undefined;

  constructor(options: RouterCacheOptions = {}) {
    checkOptions(options);
    const ttlS = options.ttlS ?? DEFAULT_CACHE_TTL_S;
    this.ttlMs = ttlS > 0 ? ttlS * 1000 : undefined;
    this.memoryMaxEntries = options.memoryMaxEntries ?? DEFAULT_CACHE_MEMORY_MAX_ENTRIES;
    const memoryTtlMs = (options.memoryTtlS ?? DEFAULT_CACHE_MEMORY_TTL_S) * 1000;
    this.memoryTtlMs = this.ttlMs === undefined ? memoryTtlMs : Math.min(memoryTtlMs, this.ttlMs);
    this.#now = options.now ?? Date.now;
    this.#memory =
      this.memoryMaxEntries > 0
        ? new LRUCache<string, string>({
            max: this.memoryMaxEntries,
            ttl: this.memoryTtlMs,
            // Read the injected clock on every check: lru-cache's default caches `now` for a
            // millisecond behind a timer.
            ttlResolution: 0,
            perf: { now: () => this.#now() },
          })
        : undefined;
    const { path, store, url, namespace } = options;
    this.#storeOptions = { path, store, url, namespace };
    this.#failures = new CacheFailureLog(getLogger("thryd:cache"), this.#now);
  }

  #open(): Promise<Keyv | undefined> {
    this.#opening ??= openCacheStore(this.#storeOptions).then(
      (store) => {
        // A keyv without `throwOnErrors` reports failures only as events.
        store.on("error", (error: unknown) => this.#failures.report("store", error));
        this.#store = store;
        return store;
      },
      (error: unknown) => {
        this.#failures.report("open", error);
        return undefined;
      },
    );
    return this.#opening;
  }

  // Memory never outlives the store's own entry.
  #remember(key: string, value: unknown, expires: number | null | undefined): void {
    if (!this.#memory) return;
    const left = typeof expires === "number" ? expires - this.#now() : Number.POSITIVE_INFINITY;
    if (left <= 0) return;
    this.#memory.set(key, JSON.stringify(value), { ttl: Math.min(this.memoryTtlMs, left) });
  }

  /** The cached value of `key`, or `undefined` for a miss or when the cache fails. */
  async get<T>(key: string): Promise<T | undefined> {
    const text = this.#memory?.get(key);
    if (text !== undefined) return JSON.parse(text) as T;
    try {
      const store = this.#store ?? (await this.#open());
      const raw = await store?.getRaw<T>(key);
      if (raw?.value === undefined || raw.value === null) return undefined;
      this.#remember(key, raw.value, raw.expires);
      return raw.value;
    } catch (error) {
      this.#failures.report("read", error);
      return undefined;
    }
  }

  /** The cached values of `keys` in order, `undefined` for misses or when the cache fails. */
  async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length <= 1) return keys.length === 0 ? [] : [await this.get<T>(keys[0]!)];
    const values = keys.map((key) => {
      const text = this.#memory?.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    });
    const missing = keys.filter((_, index) => values[index] === undefined);
    if (missing.length === 0) return values;
    try {
      const store = this.#store ?? (await this.#open());
      if (!store) return values;
      const found = await store.getManyRaw<T>(missing);
      let next = 0;
      return keys.map((key, index) => {
        if (values[index] !== undefined) return values[index];
        const raw = found[next++];
        if (raw?.value === undefined || raw.value === null) return undefined;
        this.#remember(key, raw.value, raw.expires);
        return raw.value;
      });
    } catch (error) {
      this.#failures.report("read", error);
      return values;
    }
  }

  /** Stores entries in both tiers with the configured lifetimes; failures are logged. */
  async setMany(entries: readonly (readonly [string, unknown])[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      for (const [key, value] of entries) this.#memory?.set(key, JSON.stringify(value));
      const store = this.#store ?? (await this.#open());
      if (!store) return;
      await Promise.all(entries.map(([key, value]) => store.set(key, value, this.ttlMs)));
    } catch (error) {
      this.#failures.report("write", error);
    }
  }

  /** Removes every entry of the namespace from both tiers. @throws the store's error */
  async clear(): Promise<void> {
    this.#memory?.clear();
    const store = this.#store ?? (await this.#open());
    await store?.clear();
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
