import { randomUUID } from "node:crypto";
import { RateLimitStoreError } from "../errors/rate-limit-store-error.js";
import type { Reservation } from "./sliding-window.js";
import type { AsyncRateLimiter, RateLimits } from "./spec.js";

/** A reservation in Redis: the sorted-set member that holds it while in flight. */
export interface RedisReservation extends Reservation {
  member: string;
}

/** The Lua scripts of the Redis store. */
export type RedisScriptName = "reserve" | "settle";

interface RedisRateLimiterOptions {
  /** Runs a script of the store with these keys and arguments. */
  run: (script: RedisScriptName, keys: string[], args: string[]) => Promise<unknown>;
  key: string;
  limits: RateLimits;
  reservationTtlMs: number;
  useCallerClock: boolean;
}

/** The limiter of one key in a `RedisRateLimitStore`; made by its `limiter` method. */
export class RedisRateLimiter implements AsyncRateLimiter {
  readonly isAsync = true;
  /** The Redis key of the counters; reservations in flight are under `<key>:flight`. */
  readonly key: string;
  readonly rpm: number;
  readonly tpm: number;
  readonly #run: RedisRateLimiterOptions["run"];
  readonly #keys: string[];
  readonly #useCallerClock: boolean;
  readonly #window: [bucketSizeMs: string, bucketCount: string];
  readonly #reservationTtlMs: string;
  readonly #keyTtlMs: string;

  constructor({ run, key, limits, reservationTtlMs, useCallerClock }: RedisRateLimiterOptions) {
    this.#run = run;
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

  async tryReserve(tokens: number, nowMs: number): Promise<RedisReservation | number> {
    if (tokens > this.tpm || this.rpm < 1) return Number.POSITIVE_INFINITY;
    const charged = Math.ceil(tokens);
    const member = `${charged}:${randomUUID()}`;
    let reply: [number, number];
    try {
      reply = (await this.#run("reserve", this.#keys, [
        this.#clock(nowMs),
        ...this.#window,
        Number.isFinite(this.rpm) ? String(this.rpm) : "-1",
        Number.isFinite(this.tpm) ? String(this.tpm) : "-1",
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
