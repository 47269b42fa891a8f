import { describe, expect, it } from "vitest";
import { type Reservation, SlidingWindow } from "./sliding-window.js";

const window = (options: { rpm?: number; tpm?: number }) =>
  new SlidingWindow({ ...options, bucketSizeMs: 1000, bucketCount: 60 });

describe("SlidingWindow", () => {
  it("adds a second request to the same bucket, not overwriting it", () => {
    const limiter = window({ rpm: 10 });
    limiter.tryReserve(5, 1_000);
    limiter.tryReserve(7, 1_500);
    expect(limiter.usage(1_900)).toEqual({ requests: 2, tokens: 12 });
  });

  it("keeps usage for the whole window in the same unit as the clock", () => {
    const limiter = window({ rpm: 10 });
    limiter.reconcile(limiter.tryReserve(1, 10_000) as Reservation, 1, 10_000);
    expect(limiter.usage(10_000 + 59_000).requests).toBe(1);
    // The bucket [10 s, 11 s) leaves only once all of it is older than 60 s.
    expect(limiter.usage(10_000 + 60_999).requests).toBe(1);
    expect(limiter.usage(10_000 + 61_000).requests).toBe(0);
  });

  it("refuses the request over the RPM and says when the oldest bucket frees", () => {
    const limiter = window({ rpm: 2 });
    const first = limiter.tryReserve(0, 0);
    const second = limiter.tryReserve(0, 5_200);
    expect(typeof first).toBe("object");
    expect(typeof second).toBe("object");
    limiter.reconcile(first as Reservation, 0, 0);
    limiter.reconcile(second as Reservation, 0, 5_200);
    expect(limiter.tryReserve(0, 6_000)).toBe(61_000 - 6_000);
  });

  it("counts tokens against the TPM and reports an impossible request as Infinity", () => {
    const limiter = window({ tpm: 100 });
    limiter.reconcile(limiter.tryReserve(60, 0) as Reservation, 60, 0);
    expect(limiter.waitMs(50, 1_000)).toBeGreaterThan(0);
    expect(limiter.waitMs(40, 1_000)).toBe(0);
    expect(limiter.waitMs(101, 1_000)).toBe(Number.POSITIVE_INFINITY);
  });

  it("never reports negative room when usage exceeds the quota", () => {
    const limiter = window({ tpm: 100 });
    const reservation = limiter.tryReserve(50, 0) as Reservation;
    limiter.reconcile(reservation, 500, 0);
    expect(limiter.usage(0).tokens).toBe(500);
    expect(limiter.waitMs(1, 0)).toBe(61_000);
  });

  it("gives tokens back when the actual usage is below the reservation", () => {
    const limiter = window({ tpm: 100 });
    const reservation = limiter.tryReserve(90, 0) as Reservation;
    limiter.reconcile(reservation, 30, 2_000);
    expect(limiter.usage(2_000)).toEqual({ requests: 1, tokens: 30 });
    expect(limiter.waitMs(70, 2_000)).toBe(0);
  });

  it("never lets a request in flight expire, and counts an answered one from its answer", () => {
    const limiter = window({ rpm: 1 });
    const reservation = limiter.tryReserve(0, 0) as Reservation;
    // Two windows later the request is still unanswered: it may not have reached the provider.
    expect(limiter.usage(120_000).requests).toBe(1);
    // Answered now at the earliest, it would still count for a whole window.
    expect(limiter.tryReserve(0, 120_000)).toBe(60_000);
    limiter.reconcile(reservation, 0, 130_500);
    // Answered at 130.5 s: it counts until the whole window after its bucket has passed.
    expect(limiter.usage(190_999).requests).toBe(1);
    expect(limiter.usage(191_000).requests).toBe(0);
    expect(typeof limiter.tryReserve(0, 191_000)).toBe("object");
  });

  it("releases a reservation whose request was never served", () => {
    const limiter = window({ rpm: 1 });
    const reservation = limiter.tryReserve(10, 0) as Reservation;
    limiter.release(reservation);
    expect(limiter.usage(0)).toEqual({ requests: 0, tokens: 0 });
  });

  it("reuses a ring slot after a full window without leaking the old counts", () => {
    const limiter = window({ rpm: 100 });
    limiter.reconcile(limiter.tryReserve(1, 0) as Reservation, 1, 0);
    // Same ring slot, 61 buckets later.
    limiter.reconcile(limiter.tryReserve(1, 61_000) as Reservation, 1, 61_000);
    expect(limiter.usage(61_000)).toEqual({ requests: 1, tokens: 1 });
  });

  it("holds the RPM and TPM in every 60 s window at the provider, however late requests arrive", () => {
    const limiter = window({ rpm: 7, tpm: 500 });
    // Each request reaches the provider at a random moment between its dispatch and its answer.
    const arrivals: { at: number; tokens: number }[] = [];
    const pending: { reservation: Reservation; answerAt: number; tokens: number }[] = [];
    let now = 0;
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let step = 0; step < 5_000; step++) {
      now += Math.floor(random() * 3_000);
      for (const entry of pending.filter((item) => item.answerAt <= now)) {
        limiter.reconcile(entry.reservation, entry.tokens, entry.answerAt);
        pending.splice(pending.indexOf(entry), 1);
      }
      const tokens = Math.floor(random() * 120);
      const reservation = limiter.tryReserve(tokens, now);
      if (typeof reservation !== "object") continue;
      const answerAt = now + Math.floor(random() * 90_000);
      arrivals.push({ at: now + Math.floor(random() * (answerAt - now + 1)), tokens });
      pending.push({ reservation, answerAt, tokens });
    }
    expect(arrivals.length).toBeGreaterThan(100);
    for (const start of arrivals) {
      const inWindow = arrivals.filter(
        (entry) => entry.at >= start.at && entry.at < start.at + 60_000,
      );
      expect(inWindow.length).toBeLessThanOrEqual(7);
      expect(inWindow.reduce((sum, entry) => sum + entry.tokens, 0)).toBeLessThanOrEqual(500);
    }
  });
});
