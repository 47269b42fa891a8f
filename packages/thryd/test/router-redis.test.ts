import { createServer } from "node:net";
import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCompletionRouter,
  IN_TRANSIT_GRACE_MS,
  OpenAICompatibleProvider,
  RateLimitExceededError,
  RateLimitStoreError,
  type RedisCommandClient,
  RedisRateLimitStore,
  type RedisRateLimitStoreOptions,
  TimeoutError,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";
import { useRedisServer } from "./redis-server.js";

const mock = useMockServer();
const redis = useRedisServer();
let client: ReturnType<typeof createClient>;
let prefixes = 0;
const stores: RedisRateLimitStore[] = [];

beforeAll(async () => {
  client = createClient({ url: redis().url });
  await client.connect();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await client?.close();
});

const provider = (name = "mock") =>
  new OpenAICompatibleProvider({ name, apiKey: "sk-mock", baseUrl: mock().url });

function store(options: RedisRateLimitStoreOptions = {}) {
  const made = new RedisRateLimitStore({ url: redis().url, ...options });
  stores.push(made);
  return made;
}

// Settling is fire-and-forget; poll the stored in-flight count instead of sleeping blindly.
async function untilInFlight(key: string, count: number, withinMs = 1_000) {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (Number((await client.hGet(key, "fr")) ?? 0) === count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${key} never reached ${count} requests in flight`);
}

/** A port with nothing listening: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("Router with a Redis rate-limit store", () => {
  it("shares one deployment's RPM between two routers", async () => {
    const prefix = `shared:${prefixes++}:`;
    const routers = [0, 1].map(() => {
      const router = createCompletionRouter().addProvider(provider());
      router.deploy("g", "mock/m", { rpm: 2, store: store({ prefix }) });
      return router;
    });
    await routers[0]!.invoke("g", { message: "one" });
    await routers[1]!.invoke("g", { message: "two" });
    await expect(routers[0]!.invoke("g", { message: "three" }, { maxWaitMs: 0 })).rejects.toThrow(
      RateLimitExceededError,
    );
    await expect(routers[1]!.invoke("g", { message: "three" }, { maxWaitMs: 0 })).rejects.toThrow(
      RateLimitExceededError,
    );
    expect(mock().requestCount).toBe(2);
  });

  it("skips deployments too small for the request and open circuits, as in memory", async () => {
    const prefix = `routable:${prefixes++}:`;
    const shared = store({ prefix });
    const router = createCompletionRouter({
      circuitBreaker: { failureThreshold: 1, cooldownMs: 60_000 },
      fallbacks: { g: ["long"] },
    })
      .addProvider(provider())
      .addProvider(provider("other"));
    router.deploy("g", "mock/small", { rpm: 100, store: shared, contextWindow: 5 });
    router.deploy("g", "other/flaky", { rpm: 100, store: shared, contextWindow: 10_000 });
    router.deploy("long", "mock/long", { rpm: 100, store: shared });

    const sentModel = () => (mock().requests.at(-1)?.body as { model?: string } | undefined)?.model;
    await router.invoke("g", { message: "a question longer than five tokens, surely" });
    expect(sentModel()).toBe("flaky");

    mock().script({ type: "error", status: 500 });
    await router.invoke("g", { message: "this one breaks the only deployment that fits it" });
    expect(sentModel()).toBe("long");
    expect(router.health().find((entry) => entry.deployment === "other/flaky")?.state).toBe("open");
    const before = mock().requests.length;
    // "small" is too small for the request and "flaky" is open: the fallback group takes it.
    await router.invoke("g", { message: "a question longer than five tokens, again" });
    const models = mock()
      .requests.slice(before)
      .map((request) => (request.body as { model: string }).model);
    expect(models).toEqual(["long"]);
  });

  it("sleeps the wait the store computed, then dispatches", async () => {
    let now = 1_000_000;
    const waits: number[] = [];
    const router = createCompletionRouter({
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    }).addProvider(provider());
    router.deploy("g", "mock/m", {
      rpm: 1,
      store: store({ prefix: `wait:${prefixes++}:`, clock: "caller" }),
    });
    await router.invoke("g", { message: "first" });
    await router.invoke("g", { message: "second" });
    expect(mock().requestCount).toBe(2);
    // Answered at 1 000 000 ms (bucket 1000 of 1 s): room once that bucket is a window old.
    expect(waits.reduce((sum, wait) => sum + wait, 0)).toBe(61_000);
  });

  it("keeps the quota of a timed-out request the server received, charged after the in-transit grace", async () => {
    const prefix = `timeout:${prefixes++}:`;
    const router = createCompletionRouter().addProvider(provider());
    router.deploy("g", "mock/m", { rpm: 1, store: store({ prefix }) });
    mock().script({ type: "hang" });
    await expect(router.invoke("g", { message: "x" }, { timeoutMs: 100 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    expect(mock().requestCount).toBe(1);
    await untilInFlight(`${prefix}mock/m`, 1);
    // Out of flight once the grace is over, and charged to the window, not given back.
    await untilInFlight(`${prefix}mock/m`, 0, IN_TRANSIT_GRACE_MS + 2_000);
    await expect(router.invoke("g", { message: "y" }, { maxWaitMs: 0 })).rejects.toBeInstanceOf(
      RateLimitExceededError,
    );
  }, 15_000);

  it("gives the quota back when the request never reached the server", async () => {
    const prefix = `refused:${prefixes++}:`;
    const router = createCompletionRouter().addProvider(
      new OpenAICompatibleProvider({
        name: "mock",
        apiKey: "sk-mock",
        baseUrl: `http://127.0.0.1:${await closedPort()}/v1`,
      }),
    );
    router.deploy("g", "mock/m", { rpm: 1, store: store({ prefix }) });
    await expect(router.invoke("g", { message: "x" })).rejects.toMatchObject({
      code: "THRYD_NETWORK",
    });
    await untilInFlight(`${prefix}mock/m`, 0);
    await expect(router.invoke("g", { message: "y" }, { maxWaitMs: 0 })).rejects.toMatchObject({
      code: "THRYD_NETWORK",
    });
  }, 15_000);

  it("falls over from a full Redis deployment to an in-memory one in the same group", async () => {
    const router = createCompletionRouter({ strategy: "first-available" })
      .addProvider(provider("a"))
      .addProvider(provider("b"));
    router.deploy("g", "a/shared-model", {
      rpm: 1,
      store: store({ prefix: `mixed:${prefixes++}:` }),
    });
    router.deploy("g", "b/local-model", { rpm: 1 });
    for (const message of ["1", "2"]) await router.invoke("g", { message }, { maxWaitMs: 0 });
    await expect(router.invoke("g", { message: "3" }, { maxWaitMs: 0 })).rejects.toBeInstanceOf(
      RateLimitExceededError,
    );
    expect(mock().requests.map((request) => (request.body as { model: string }).model)).toEqual([
      "shared-model",
      "local-model",
    ]);
  });

  it("streams through a shared deployment and charges the answer", async () => {
    const prefix = `stream:${prefixes++}:`;
    const router = createCompletionRouter().addProvider(provider());
    router.deploy("g", "mock/m", { rpm: 1, store: store({ prefix }) });
    const deltas: string[] = [];
    for await (const delta of router.stream("g", { message: "flow" })) deltas.push(delta);
    expect(deltas.join("")).toBe("echo: flow");
    await untilInFlight(`${prefix}mock/m`, 0);
    const counts = await client.hGetAll(`${prefix}mock/m`);
    const charged = Object.entries(counts).filter(([field]) => field.startsWith("r"));
    expect(charged.map(([, value]) => value)).toEqual(["1"]);
    await expect(router.invoke("g", { message: "next" }, { maxWaitMs: 0 })).rejects.toBeInstanceOf(
      RateLimitExceededError,
    );
  });

  it("fails closed with RateLimitStoreError, sending nothing, when the store is down", async () => {
    const down: RedisCommandClient = {
      sendCommand: async () => {
        throw new Error("ECONNREFUSED");
      },
    };
    const router = createCompletionRouter().addProvider(provider());
    router.deploy("g", "mock/m", { rpm: 5, store: new RedisRateLimitStore({ client: down }) });
    await expect(router.invoke("g", { message: "x" })).rejects.toBeInstanceOf(RateLimitStoreError);
    expect(mock().requestCount).toBe(0);
  });

  it("keeps a deployment without limits off the store entirely", async () => {
    const unused = new RedisRateLimitStore({
      client: {
        sendCommand: async () => {
          throw new Error("must not be called");
        },
      },
    });
    const router = createCompletionRouter().addProvider(provider());
    const deployment = router.deploy("g", "mock/m", { store: unused });
    expect(deployment.asyncLimiter).toBeUndefined();
    await expect(router.invoke("g", { message: "x" })).resolves.toBeTruthy();
  });
});
