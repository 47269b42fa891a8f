import { createHash } from "node:crypto";
import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCompletionRouter,
  DummyModel,
  DummyProvider,
  type RateLimits,
  type RedisCommandClient,
  RedisRateLimitStore,
  type Reservation,
} from "../src/index.js";
import { RESERVE_FIRST_SCRIPT, RESERVE_SCRIPT } from "../src/limits/redis-scripts.js";
import { useRedisServer } from "./redis-server.js";

const sha1 = (source: string) => createHash("sha1").update(source).digest("hex");

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

// A client that records every command it sends.
function recording(): { client: RedisCommandClient; commands: string[][] } {
  const commands: string[][] = [];
  return {
    commands,
    client: {
      sendCommand: (args) => {
        commands.push([...args]);
        return client.sendCommand([...args]);
      },
    },
  };
}

const store = (redisClient: RedisCommandClient = client as unknown as RedisCommandClient) =>
  new RedisRateLimitStore({ client: redisClient, prefix: `first:${prefixes++}:`, clock: "caller" });

describe("RedisRateLimitStore batches", () => {
  it("reserves in the first limiter with room, as trying them one by one does, over a random trace", async () => {
    const shapes: RateLimits[] = [
      { rpm: 2, bucketSizeMs: 1_000, bucketCount: 10 },
      { rpm: 3, tpm: 200, bucketSizeMs: 1_000, bucketCount: 10 },
      { tpm: 150, bucketSizeMs: 500, bucketCount: 4 },
      { rpm: 1, bucketSizeMs: 2_000, bucketCount: 5 },
      { rpm: 0, bucketSizeMs: 1_000, bucketCount: 10 },
    ];
    // Twin stores in the same state: one tried in one batch, the other one limiter at a time.
    const [batched, single] = [store(), store()].map((twin) =>
      shapes.map((limits, index) => twin.limiter(`k${index}`, limits)),
    ) as [
      ReturnType<RedisRateLimitStore["limiter"]>[],
      ReturnType<RedisRateLimitStore["limiter"]>[],
    ];
    let seed = 26;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let now = 50_000;
    let reserved = 0;
    let refused = 0;
    for (let step = 0; step < 150; step++) {
      now += Math.floor(random() * 900);
      const tokens = Math.floor(random() * 180);
      const order = shapes.map((_, index) => index).sort(() => random() - 0.5);
      const result = await batched[0]!.batch.tryReserveFirst(
        order.map((index) => batched[index]!),
        tokens,
        now,
      );
      let expectedIndex = -1;
      let shortestMs = Number.POSITIVE_INFINITY;
      let twin: Reservation | undefined;
      for (const [position, index] of order.entries()) {
        const one = await single[index]!.tryReserve(tokens, now);
        if (typeof one !== "number") {
          expectedIndex = position;
          twin = one;
          break;
        }
        shortestMs = Math.min(shortestMs, one);
      }
      expect(result.index).toBe(expectedIndex);
      if (expectedIndex < 0) {
        expect("waitMs" in result && result.waitMs).toBe(shortestMs);
        refused++;
      } else {
        reserved++;
        expect("reservation" in result && result.reservation.bucket).toBe(twin?.bucket);
        // Answer most, alike on both sides, so that windows hold buckets as well as requests
        // in flight.
        if (random() < 0.7 && "reservation" in result && twin) {
          const index = order[result.index]!;
          const actual = Math.floor(random() * 200);
          await batched[index]!.reconcile(result.reservation, actual, now);
          await single[index]!.reconcile(twin, actual, now);
        }
      }
    }
    expect(reserved).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  }, 60_000);

  it("tries 200 shared deployments one alone, then 16, then 64 per script, not one round trip each", async () => {
    let now = 1_000_000;
    const { client: counting, commands } = recording();
    const shared = store(counting);
    const provider = new DummyProvider();
    const router = createCompletionRouter({ strategy: "round-robin", now: () => now });
    const models = Array.from({ length: 200 }, (_, index) => {
      const model = new DummyModel({ kind: "completion", provider, name: `m${index}` });
      model.respond("ok");
      router.addDeployment("g", model, { rpm: 1, store: shared });
      return model;
    });
    // The first 150 have spent their one request.
    for (const deployment of router.getGroup("g").slice(0, 150)) {
      expect(typeof (await deployment.asyncLimiter!.tryReserve(0, now))).toBe("object");
    }
    const reserving = new Set([sha1(RESERVE_SCRIPT), sha1(RESERVE_FIRST_SCRIPT)]);
    const scripts = () =>
      commands.filter(([command, sha]) => command === "EVALSHA" && reserving.has(sha!));
    commands.length = 0;
    await router.invoke("g", { message: "x" });
    // Deployment 0 alone, then 1-16, 17-80, 81-144 and 145-199 (150 is there): five scripts.
    expect(scripts().map(([, , keyCount]) => keyCount)).toEqual(["2", "32", "128", "128", "110"]);
    expect(models[150]!.calls).toHaveLength(1);
    commands.length = 0;
    now += 10;
    await router.invoke("g", { message: "y" });
    // The rotation is at 151, which has room: one script.
    expect(scripts()).toHaveLength(1);
    expect(models[151]!.calls).toHaveLength(1);
  }, 60_000);
});
