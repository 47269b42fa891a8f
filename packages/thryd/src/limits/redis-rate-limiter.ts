import { randomUUID } from "node:crypto";
import { RateLimitStoreError } from "../errors/rate-limit-store-error.js";
import type { Reservation } from "./sliding-window.js";
import type { AsyncRateLimiter, BatchReservation, RateLimits, ReserveBatcher } from "./spec.js";

/** A reservation in Redis: the sorted-set member that holds it while in flight. */
export interface RedisReservation extends Reservation {
  member: string;
}

/** The Lua scripts of the Redis store. */
export type RedisScriptName = "reserve" | "reserveFirst" | "settle";

/** Runs a script of the store with these keys and arguments. */
type RunScript = (script: RedisScriptName, keys: string[], args: string[]) => Promise<unknown>;

interface RedisRateLimiterOptions {
  run: RunScript;
  key: string;
  limits: RateLimits;
  reservationTtlMs: number;
  useCallerClock: boolean;
  /** The store's batcher: it tries several of its limiters in one script. */
  batch: ReserveBatcher;
}

let scriptArgumentsOf: (limiter: RedisRateLimiter) => { keys: string[]; limits: string[] };

const newMember = (tokens: number) => `${tokens}:${randomUUID()}`;

/**
 * The {@link ReserveBatcher} of one Redis store: tries its limiters in order in one script,
 * atomically, and reserves in the first with room.
 */
export function createRedisReserveBatcher(run: RunScript, useCallerClock: boolean): ReserveBatcher {
  return {
    async tryReserveFirst(limiters, tokens, nowMs): Promise<BatchReservation> {
      const charged = Math.ceil(tokens);
      const member = newMember(charged);
      const keys: string[] = [];
      const args = [useCallerClock ? String(nowMs) : "", String(charged), member];
      const positions: number[] = [];
      limiters.forEach((limiter, position) => {
        const redis = limiter as RedisRateLimiter;
        // Never fits (as `tryReserve` decides without asking Redis): not worth a key.
        if (tokens > redis.tpm || redis.rpm < 1) return;
        const script = scriptArgumentsOf(redis);
        keys.push(...script.keys);
        args.push(...script.limits);
        positions.push(position);
      });
      if (positions.length === 0) return { index: -1, waitMs: Number.POSITIVE_INFINITY };
      let reply: number[];
      try {
        reply = (await run("reserveFirst", keys, args)) as number[];
      } catch (error) {
        throw new RateLimitStoreError(
          (limiters[positions[0]!] as RedisRateLimiter).key,
          "reserve",
          error,
        );
      }
      if (Number(reply[0]) === 1) return { index: -1, waitMs: Number(reply[1]) };
      return {
        index: positions[Number(reply[1])]!,
        reservation: {
          bucket: Number(reply[2]),
          requests: 1,
          tokens: charged,
          inFlight: true,
          member,
        } as RedisReservation,
      };
    },
  };
}

/** The limiter of one key in a `RedisRateLimitStore`; made by its `limiter` method. */
export class RedisRateLimiter implements AsyncRateLimiter {
  readonly isAsync = true;
  /** The Redis key of the counters; reservations in flight are under `<key>:flight`. */
  readonly key: string;
  readonly rpm: number;
  readonly tpm: number;
  /** Tries this store's limiters together: one script for several deployments of a group. */
  readonly batch: ReserveBatcher;
  readonly #run: RunScript;
  readonly #keys: string[];
  readonly #useCallerClock: boolean;
  readonly #window: [bucketSizeMs: string, bucketCount: string];
  readonly #reservationTtlMs: string;
  readonly #keyTtlMs: string;

  static {
    scriptArgumentsOf = (limiter) => ({
      keys: limiter.#keys,
      limits: [
        ...limiter.#window,
        ...limiter.#limitArguments(),
        limiter.#reservationTtlMs,
        limiter.#keyTtlMs,
      ],
    });
  }

  constructor({
    run,
    key,
    limits,
    reservationTtlMs,
    useCallerClock,
    batch,
  }: RedisRateLimiterOptions) {
    this.#run = run;
    this.batch = batch;
    this.key = key;
    this.rpm = limits.rpm ?? Number.POSITIVE_INFINITY;
    this.tpm = limits.tpm ?? Number.POSITIVE_INFINITY;
    this.#keys = [key, `${key}:flight`];
    this.#useCallerClock = useCallerClock;
    this.#window = [String(limits.bucketSizeMs), String(limits.bucketCount)];
    this.#reservationTtlMs = String(Math.ceil(reservationTtlMs));
    // Long enough for the last answer to leave the window and the last reservation to expire.
    const windowMs = limits.bucketSizeMs * (limits.bucketCount + 1);
    this.#keyTtlMs = String(Math.ceil(windowMs + reservationTtlMs));
  }

  #clock(nowMs: number): string {
    return this.#useCallerClock ? String(nowMs) : "";
  }

  #limitArguments(): [rpm: string, tpm: string] {
    return [
      Number.isFinite(this.rpm) ? String(this.rpm) : "-1",
      Number.isFinite(this.tpm) ? String(this.tpm) : "-1",
    ];
  }

  async tryReserve(tokens: number, nowMs: number): Promise<RedisReservation | number> {
    if (tokens > this.tpm || this.rpm < 1) return Number.POSITIVE_INFINITY;
    const charged = Math.ceil(tokens);
    const member = newMember(charged);
    let reply: [number, number];
    try {
      reply = (await this.#run("reserve", this.#keys, [
        this.#clock(nowMs),
        ...this.#window,
        ...this.#limitArguments(),
        String(charged),
        member,
        this.#reservationTtlMs,
        this.#keyTtlMs,
      ])) as [number, number];
    } catch (error) {
      throw new RateLimitStoreError(this.key, "reserve", error);
    }
    if (Number(reply[0]) === 1) return Number(reply[1]);
    return { bucket: Number(reply[1]), requests: 1, tokens: charged, inFlight: true, member };
  }

  async #settle(
    mode: "reconcile" | "release",
    reservation: RedisReservation,
    actualTokens: number,
    nowMs: number,
  ): Promise<number> {
    try {
      const reply = await this.#run("settle", this.#keys, [
        this.#clock(nowMs),
        ...this.#window,
        mode,
        reservation.inFlight ? reservation.member : "",
        String(reservation.tokens),
        String(actualTokens),
        String(reservation.bucket),
        this.#keyTtlMs,
      ]);
      return Number(reply);
    } catch (error) {
      throw new RateLimitStoreError(this.key, mode, error);
    }
  }

  async reconcile(reservation: Reservation, actualTokens: number, nowMs: number): Promise<void> {
    const charged = Math.ceil(actualTokens);
    const bucket = await this.#settle("reconcile", reservation as RedisReservation, charged, nowMs);
    reservation.bucket = bucket;
    reservation.tokens = charged;
    reservation.inFlight = false;
  }

  async release(reservation: Reservation, nowMs: number): Promise<void> {
    if (reservation.requests === 0) return;
    await this.#settle("release", reservation as RedisReservation, 0, nowMs);
    reservation.inFlight = false;
    reservation.requests = 0;
    reservation.tokens = 0;
  }
}
