import { describe, expect, it } from "vitest";
import {
  createCompletionRouter,
  OpenAICompatibleProvider,
  RateLimitStoreError,
  RedisRateLimitStore,
  RouterCache,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";
import { startRedisServer } from "./redis-server.js";

const mock = useMockServer();

// "Fast": over three times the cache client's documented reconnect attempts (about 1.5 s), so a
// loaded machine passes, and far below the test's limit, so a call left waiting for Redis fails.
const FAST_MS = 5_000;

describe("Redis outages", () => {
  it("fails fast while Redis is down and recovers when it is back, cache and limiter alike", async () => {
    let redis = await startRedisServer();
    const cache = new RouterCache({ store: "redis", url: redis.url });
    const store = new RedisRateLimitStore({ url: redis.url });
    const router = createCompletionRouter({ cache }).addProvider(
      new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
    );
    router.deploy("g", "mock/m", { rpm: 100, store });
    router.deploy("unlimited", "mock/m");
    try {
      await router.invoke("g", { message: "before" });
      await redis.stop();
      // The limiter fails closed and sends nothing; the cache only misses. Neither waits for
      // Redis to return: the limiter fails at once and the cache gives up after its quick
      // reconnect attempts (about 1.5 s, README), so each call ends well within FAST_MS.
      let startedAt = performance.now();
      await expect(router.invoke("g", { message: "during" })).rejects.toBeInstanceOf(
        RateLimitStoreError,
      );
      expect(performance.now() - startedAt).toBeLessThan(FAST_MS);
      expect(mock().requestCount).toBe(1);
      startedAt = performance.now();
      await expect(router.invoke("unlimited", { message: "during" })).resolves.toMatchObject({
        content: "echo: during",
      });
      expect(performance.now() - startedAt).toBeLessThan(FAST_MS);
      expect(mock().requestCount).toBe(2);

      redis = await startRedisServer(redis.port);
      let recovered = false;
      for (let tries = 0; tries < 100 && !recovered; tries++) {
        recovered = await router.invoke("g", { message: "after" }).then(
          () => true,
          () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 50)),
        );
      }
      expect(recovered).toBe(true);
      // The answer went to the restarted Redis: asking again is a cache hit.
      const count = mock().requestCount;
      await router.invoke("g", { message: "after" });
      expect(mock().requestCount).toBe(count);
    } finally {
      await store.close();
      await cache.close();
      await redis.stop();
    }
  }, 30_000);
});
