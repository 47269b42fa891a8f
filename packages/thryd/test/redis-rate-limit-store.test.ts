import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RateLimitStoreError,
  type RateLimits,
  type RedisCommandClient,
  RedisRateLimitStore,
  type Reservation,
  SlidingWindow,
} from "../src/index.js";
import { useRedisServer } from "./redis-server.js";

const redis = useRedisServer();
let client: ReturnType<typeof createClient>;
let prefixes = 0;

beforeAll(async () => {
  client = createClient({ url: redis().url });
  await client.connect();
});
afterAll(async () => {
  await client?.close();
});

// A fresh key space per test, and the caller's clock so that time is ours to move.
function callerStore(reservationTtlMs = 3_600_000) {
  return new RedisRateLimitStore({
    client: client as unknown as RedisCommandClient,
    prefix: `test:${prefixes++}:`,
    clock: "caller",
    reservationTtlMs,
  });
}

const limits = (rpm?: number, tpm?: number): RateLimits => ({
  rpm,
  tpm,
  bucketSizeMs: 1000,
  bucketCount: 10,
});

describe("RedisRateLimitStore", () => {
  it("makes the same decisions as the in-memory SlidingWindow over a random trace", async () => {
    const memory = new SlidingWindow(limits(5, 400));
    const shared = callerStore().limiter("trace", limits(5, 400));
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const open: [Reservation, Reservation][] = [];
    const settled: [Reservation, Reservation][] = [];
    let now = 10_000;
    let reserved = 0;
    let refused = 0;
    for (let step = 0; step < 400; step++) {
      now += Math.floor(random() * 700);
      const choice = random();
      if (choice < 0.5 || open.length === 0) {
        const tokens = 1 + Math.floor(random() * 120);
        const local = memory.tryReserve(tokens, now);
        const remote = await shared.tryReserve(tokens, now);
        expect(typeof remote === "number" ? remote : "reserved").toBe(
          typeof local === "number" ? local : "reserved",
        );
        if (typeof local !== "number" && typeof remote !== "number") {
          open.push([local, remote]);
          reserved++;
        } else {
          refused++;
        }
      } else if (choice < 0.85) {
        const [local, remote] = open.splice(Math.floor(random() * open.length), 1)[0]!;
        const actual = Math.floor(random() * 150);
        memory.reconcile(local, actual, now);
        await shared.reconcile(remote, actual, now);
        expect(remote.bucket).toBe(local.bucket);
        settled.push([local, remote]);
      } else if (choice < 0.95) {
        const [local, remote] = open.splice(Math.floor(random() * open.length), 1)[0]!;
        memory.release(local);
        await shared.release(remote, now);
      } else if (settled.length > 0) {
        // A second reconcile of a settled reservation only corrects its tokens.
        const [local, remote] = settled[Math.floor(random() * settled.length)]!;
        const actual = Math.floor(random() * 150);
        memory.reconcile(local, actual, now);
        await shared.reconcile(remote, actual, now);
      }
    }
    // The trace must have exercised both outcomes, or it proves little.
    expect(reserved).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });

  it("keeps a request in flight counted, then waits for the answer's bucket to leave", async () => {
    const limiter = callerStore().limiter("flight", limits(1));
    const reservation = await limiter.tryReserve(0, 0);
    expect(typeof reservation).toBe("object");
    // In flight, it never expires: the wait is a whole window from now, at any time.
    expect(await limiter.tryReserve(0, 500)).toBe(10_000);
    expect(await limiter.tryReserve(0, 50_000)).toBe(10_000);
    await limiter.reconcile(reservation as Reservation, 0, 50_000);
    // Answered in bucket 50: it leaves once all of bucket 50 is older than the window.
    expect(await limiter.tryReserve(0, 50_000)).toBe(11_000);
    expect(await limiter.tryReserve(0, 60_999)).toBe(1);
    expect(typeof (await limiter.tryReserve(0, 61_000))).toBe("object");
  });

  it("lets an abandoned reservation expire after its lifetime, and frees it only once", async () => {
    const store = callerStore(5_000);
    const limiter = store.limiter("crashed", limits(2));
    const abandoned = (await limiter.tryReserve(0, 0)) as Reservation;
    await limiter.tryReserve(0, 100);
    expect(await limiter.tryReserve(0, 4_999)).toBe(10_000);
    const fresh = await limiter.tryReserve(0, 5_000);
    expect(typeof fresh).toBe("object");
    // The late answer of the expired one is charged, but must not free a second slot.
    await limiter.reconcile(abandoned, 0, 5_050);
    expect(await client.hGet(`${store.prefix}crashed`, "fr")).toBe("2");
    expect(typeof (await limiter.tryReserve(0, 5_100))).toBe("number");
  });

  it("reconciles TPM with the actual usage and releases a cancelled request", async () => {
    const limiter = callerStore().limiter("tokens", limits(undefined, 100));
    const first = (await limiter.tryReserve(80, 0)) as Reservation;
    expect(await limiter.tryReserve(30, 0)).toBe(10_000);
    await limiter.reconcile(first, 20, 1_000);
    const second = (await limiter.tryReserve(30, 1_000)) as Reservation;
    expect(second.tokens).toBe(30);
    // 20 answered in bucket 1 + 30 in flight + 60 > 100: room once bucket 1 leaves the window.
    expect(await limiter.tryReserve(60, 1_000)).toBe(11_000);
    await limiter.release(second, 1_500);
    expect(typeof (await limiter.tryReserve(60, 1_500))).toBe("object");
    // A second reconcile that raises the count lands in the current bucket.
    await limiter.reconcile(first, 40, 2_000);
    expect(await limiter.tryReserve(1, 2_000)).toBe(10_000);
  });

  it("refuses a request above the whole TPM without asking Redis", async () => {
    const calls: string[][] = [];
    const store = new RedisRateLimitStore({
      client: {
        sendCommand: async (args) => {
          calls.push([...args]);
          throw new Error("not configured");
        },
      },
    });
    const limiter = store.limiter("k", limits(10, 100));
    expect(await limiter.tryReserve(101, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(calls).toEqual([]);
  });

  it("wraps a store failure in RateLimitStoreError, retryable", async () => {
    const store = new RedisRateLimitStore({
      prefix: "x:",
      client: {
        sendCommand: async () => {
          throw new Error("connection refused");
        },
      },
    });
    const error = await store
      .limiter("down", limits(1))
      .tryReserve(1, 0)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitStoreError);
    expect(error).toMatchObject({
      code: "THRYD_RATE_LIMIT_STORE",
      key: "x:down",
      isRetryable: true,
    });
  });

  it("never lets concurrent reservers from two connections exceed the RPM", async () => {
    const prefix = `race:${prefixes++}:`;
    const stores = [0, 1].map(() => new RedisRateLimitStore({ url: redis().url, prefix }));
    const limiters = stores.map((store) => store.limiter("shared", limits(10)));
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, index) => limiters[index % 2]!.tryReserve(1, 0)),
    );
    expect(results.filter((result) => typeof result === "object")).toHaveLength(10);
    await Promise.all(stores.map((store) => store.close()));
  });

  it("reloads its scripts after SCRIPT FLUSH and dates requests by the server clock", async () => {
    // Far longer than the round trip between the first two reservations, even on a loaded
    // machine: the second must find the first still in flight.
    const reservationTtlMs = 1_500;
    const store = new RedisRateLimitStore({
      url: redis().url,
      prefix: `clock:${prefixes++}:`,
      reservationTtlMs,
    });
    const limiter = store.limiter("k", { rpm: 1, bucketSizeMs: 100, bucketCount: 10 });
    await client.sendCommand(["SCRIPT", "FLUSH"]);
    const reservedAt = Date.now();
    // The caller's time is ignored: a reservation dated 0 would otherwise expire at once.
    expect(typeof (await limiter.tryReserve(0, 0))).toBe("object");
    expect(await limiter.tryReserve(0, 0)).toBe(1_000);
    // It frees itself once its lifetime has passed on the server's clock, and not before.
    let freedAt: number | undefined;
    for (const deadline = reservedAt + 20_000; freedAt === undefined && Date.now() < deadline; ) {
      if (typeof (await limiter.tryReserve(0, 0)) === "object") freedAt = Date.now();
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(freedAt).toBeDefined();
    expect(freedAt! - reservedAt).toBeGreaterThanOrEqual(reservationTtlMs);
    await store.close();
  }, 30_000);
});
