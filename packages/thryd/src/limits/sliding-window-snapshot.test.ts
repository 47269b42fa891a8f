import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextDown } from "./float-steps.js";
import { type Reservation, SlidingWindow } from "./sliding-window.js";

const START_MS = 1_700_000_000_123;

const history = fc.record({
  rpm: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  tpm: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
  bucketSizeMs: fc.constantFrom(100, 1_000, 2_000 / 60),
  bucketCount: fc.integer({ min: 2, max: 6 }),
  steps: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant("reserve"), tokens: fc.integer({ min: 0, max: 320 }) }),
      fc.record({
        kind: fc.constant("settle"),
        pick: fc.nat(),
        tokens: fc.integer({ min: 0, max: 320 }),
        release: fc.boolean(),
      }),
      fc.record({ kind: fc.constant("wait"), ms: fc.integer({ min: 0, max: 2_500 }) }),
    ),
    { maxLength: 60 },
  ),
  probes: fc.array(
    fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      tokens: fc.integer({ min: 0, max: 320 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

describe("SlidingWindow.snapshot", () => {
  it("bounds every wait and every fit until it expires, after any history", () => {
    fc.assert(
      fc.property(history, ({ rpm, tpm, bucketSizeMs, bucketCount, steps, probes }) => {
        const window = new SlidingWindow({ rpm, tpm, bucketSizeMs, bucketCount });
        const reservations: Reservation[] = [];
        let nowMs = START_MS;
        for (const step of steps) {
          if (step.kind === "reserve") {
            const reservation = window.tryReserve(step.tokens, nowMs);
            if (typeof reservation === "object") reservations.push(reservation);
          } else if (step.kind === "settle" && reservations.length > 0) {
            const [reservation] = reservations.splice(step.pick % reservations.length, 1);
            if (step.release) window.release(reservation!);
            else window.reconcile(reservation!, step.tokens, nowMs);
          } else if (step.kind === "wait") {
            nowMs += step.ms;
          }
          const snapshot = window.snapshot(nowMs);
          expect(snapshot.validUntilMs).toBeGreaterThan(nowMs);
          // Probe anywhere between now and the snapshot's expiry (a minute when it never does).
          const horizonMs = Math.min(snapshot.validUntilMs, nowMs + 60_000) - nowMs;
          for (const probe of probes) {
            // Rounding may carry the sum onto the expiry itself: stay strictly before it.
            const atMs = Math.min(nowMs + probe.at * horizonMs, nextDown(snapshot.validUntilMs));
            const waitMs = window.waitMs(probe.tokens, atMs);
            if (waitMs === 0) {
              expect(snapshot.hasRoom).toBe(true);
              expect(probe.tokens).toBeLessThanOrEqual(snapshot.tokenRoom);
            } else if (probe.tokens > snapshot.tokenLimit) {
              expect(waitMs).toBe(Number.POSITIVE_INFINITY);
            } else {
              const untilFreeMs = Math.max(1, snapshot.freeAtMs - atMs);
              expect(waitMs).toBeGreaterThanOrEqual(Math.min(untilFreeMs, snapshot.minWaitMs));
            }
            const later = window.snapshot(atMs);
            expect([later.hasRoom, later.tokenRoom]).toEqual([
              snapshot.hasRoom,
              snapshot.tokenRoom,
            ]);
          }
        }
      }),
      { seed: 26, numRuns: 500 },
    );
  }, 60_000);

  it("expires exactly when its own bucket arithmetic lets the oldest request leave", () => {
    // 20 s in 60 buckets: 333.33… ms, where `bucket * size` often lands a step off.
    const bucketSizeMs = 1_000 / 3;
    for (let nowMs = START_MS; nowMs < START_MS + 100_000; nowMs += 37.7) {
      const window = new SlidingWindow({ rpm: 1, bucketSizeMs, bucketCount: 60 });
      window.reconcile(window.tryReserve(0, nowMs) as Reservation, 0, nowMs);
      const { validUntilMs } = window.snapshot(nowMs);
      expect(window.usage(nextDown(validUntilMs)).requests).toBe(1);
      expect(window.usage(validUntilMs).requests).toBe(0);
    }
  }, 60_000);

  it("tells its watchers of every reservation, reconcile and release, and forgets one on request", () => {
    const window = new SlidingWindow({ rpm: 10 });
    let calls = 0;
    const watcher = { limiterChanged: () => calls++ };
    const stop = window.watch(watcher);
    const reservation = window.tryReserve(5, 0) as Reservation;
    window.reconcile(reservation, 7, 10);
    window.release(reservation);
    expect(calls).toBe(3);
    window.waitMs(1, 20);
    window.snapshot(20);
    expect(calls).toBe(3);
    stop();
    window.tryReserve(1, 30);
    expect(calls).toBe(3);
  });
});
