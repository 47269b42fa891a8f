import { createHash } from "node:crypto";
import { getLogger } from "@fabricatio/logger";
import { redisClientOptions } from "../redis/redis-client-options.js";
import {
  createRedisReserveBatcher,
  RedisRateLimiter,
  type RedisScriptName,
} from "./redis-rate-limiter.js";
import { RESERVE_FIRST_SCRIPT, RESERVE_SCRIPT, SETTLE_SCRIPT } from "./redis-scripts.js";
import type { RateLimitStore, RateLimits, ReserveBatcher } from "./spec.js";

/**
 * The part of a Redis client the store uses: a node-redis v5 client (`createClient` of `redis`
 * or `@redis/client`) fits. Cluster clients do not (their `sendCommand` takes a routing key).
 */
export interface RedisCommandClient {
  sendCommand(args: readonly string[]): Promise<unknown>;
}

/** Options of {@link RedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** A connected client; the store never closes it. Overrides `url`. */
  client?: RedisCommandClient;
  /** Redis URL for a client the store creates (and closes in `close`). @default "redis://127.0.0.1:6379" */
  url?: string;
  /** Prefix of every key; a deployment's key follows it. @default "thryd:rl:" */
  prefix?: string;
  /**
   * How long a reservation may stay in flight before it frees itself, in ms: the bound on how
   * long a crashed process holds quota. Keep it above your longest request (its `timeoutMs`),
   * or a slow request stops counting while still in flight. @default max(window, 600 000)
   */
  reservationTtlMs?: number;
  /**
   * Whose clock dates requests: `"redis"` (the server's `TIME`, one clock for every machine, so
   * skew between them cannot stretch or shrink a window) or `"caller"` (the router's `now`, for
   * tests with a fake clock; every process must then share one clock). @default "redis"
   */
  clock?: "redis" | "caller";
}

interface Script {
  source: string;
  sha: string;
}

const sha1 = (source: string) => createHash("sha1").update(source).digest("hex");
let scripts: Record<RedisScriptName, Script> | undefined;
const loadScripts = () => {
  scripts ??= {
    reserve: { source: RESERVE_SCRIPT, sha: sha1(RESERVE_SCRIPT) },
    reserveFirst: { source: RESERVE_FIRST_SCRIPT, sha: sha1(RESERVE_FIRST_SCRIPT) },
    settle: { source: SETTLE_SCRIPT, sha: sha1(SETTLE_SCRIPT) },
  };
  return scripts;
};

interface OwnedClient extends RedisCommandClient {
  close(): Promise<void>;
}

/**
 * A {@link RateLimitStore} in Redis: deployments in any process or machine that use the same
 * Redis and key share one quota. Each decision is one atomic Lua script (one round trip), for
 * one deployment or, through its limiters' `batch`, for the first with room of up to 64
 * deployments of a group.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly name = "redis";
  readonly prefix: string;
  readonly #options: RedisRateLimitStoreOptions;
  #client: Promise<RedisCommandClient> | undefined;
  #owned: OwnedClient | undefined;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #logger = getLogger("thryd:limits");
  readonly #batch: ReserveBatcher;

  constructor(options: RedisRateLimitStoreOptions = {}) {
    this.#options = options;
    this.prefix = options.prefix ?? "thryd:rl:";
    this.#batch = createRedisReserveBatcher(
      (script, keys, args) => this.#run(script, keys, args),
      options.clock === "caller",
    );
  }

  /** The limiter of `key` (a deployment id unless set with the deployment's `storeKey`). */
  limiter(key: string, limits: RateLimits): RedisRateLimiter {
    const windowMs = limits.bucketSizeMs * limits.bucketCount;
    return new RedisRateLimiter({
      run: (script, keys, args) => this.#run(script, keys, args),
      key: `${this.prefix}${key}`,
      limits,
      reservationTtlMs: this.#options.reservationTtlMs ?? Math.max(windowMs, 600_000),
      useCallerClock: this.#options.clock === "caller",
      batch: this.#batch,
    });
  }

  #connect(): Promise<RedisCommandClient> {
    if (this.#options.client) return Promise.resolve(this.#options.client);
    this.#client ??= (async () => {
      // Loaded on first use: importing thryd never loads the Redis client.
      const { createClient } = await import("@redis/client");
      // No offline queue: every command waits for `connect` below, and during an outage a
      // reservation should fail at once rather than wait for Redis to come back.
      const { onReady, ...options } = redisClientOptions(
        this.#options.url ?? "redis://127.0.0.1:6379",
        { queue: false },
      );
      const client = createClient(options);
      client.on("ready", onReady);
      client.on("error", (error: unknown) => {
        this.#logger.warn(`Redis client: ${(error as Error)?.message ?? error}`);
      });
      try {
        await client.connect();
      } catch (error) {
        // Forget the failed attempt, so that the next request tries to connect again.
        this.#client = undefined;
        throw error;
      }
      this.#owned = client as unknown as OwnedClient;
      return client as unknown as RedisCommandClient;
    })();
    return this.#client;
  }

  /**
   * Connects now (it otherwise happens on the first reservation), so that a wrong URL fails at
   * start-up and the first request pays no connection time. Nothing to do with a `client`.
   * @throws the client's connection error
   */
  async connect(): Promise<void> {
    await this.#connect();
  }

  // Runs a script by its SHA, loading it on the first `NOSCRIPT`.
  #run(script: RedisScriptName, keys: string[], args: string[]): Promise<unknown> {
    const pending = this.#send(script, keys, args);
    // Tracked so that `close` lets settles already under way finish first.
    this.#pending.add(pending);
    const forget = () => this.#pending.delete(pending);
    pending.then(forget, forget);
    return pending;
  }

  async #send(script: RedisScriptName, keys: string[], args: string[]): Promise<unknown> {
    const { sha, source } = loadScripts()[script];
    const client = await this.#connect();
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await client.sendCommand(["EVALSHA", sha, ...tail]);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
      return client.sendCommand(["EVAL", source, ...tail]);
    }
  }

  /**
   * Waits for the scripts under way (settles the router does not wait for), then closes the
   * client the store created from `url`; a client passed in stays open.
   */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
    const owned = this.#owned;
    this.#client = undefined;
    this.#owned = undefined;
    await owned?.close();
  }
}
