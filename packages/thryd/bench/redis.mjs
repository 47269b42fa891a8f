// Benchmark of the Redis rate-limit store next to the in-memory one; `benchSection()` is called by
// run.mjs and returns a markdown section. Starts its own redis-server and mock server.
import { startRedisServer } from "@fabricatio/mock-llm";
import {
  closeHttpPools,
  createCompletionRouter,
  OpenAICompatibleProvider,
  RedisRateLimitStore,
  SlidingWindow,
} from "../dist/index.js";
import { fmt, runConcurrent, startMock } from "./support.mjs";

// One decision = reserve before dispatch + reconcile after the answer, as the router does.
async function decisions(limiter, total, concurrency) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const reservation = await limiter.tryReserve(10, Date.now());
        if (typeof reservation === "number") throw new Error("the limit must not bind here");
        await limiter.reconcile(reservation, 12, Date.now());
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1000 / total;
}

async function routed(router, total, concurrency) {
  const run = await runConcurrent(total, concurrency, () =>
    router.invoke("g", { message: "benchmark message" }),
  );
  return { usPerRequest: run.usPerRequest, cpuUs: run.cpuUsPerRequest };
}

/** Markdown section: the Redis limiter's decision cost next to the in-memory one. */
export async function benchSection() {
  const redis = await startRedisServer();
  const mock = await startMock();
  const store = new RedisRateLimitStore({ url: redis.url, prefix: `bench:${Date.now()}:` });
  try {
    await store.connect();
    const limits = { rpm: 1e12, tpm: 1e15, bucketSizeMs: 1000, bucketCount: 60 };
    const memory = new SlidingWindow(limits);
    const shared = store.limiter("decisions", limits);
    const rows = [];
    for (const [concurrency, total] of [
      [1, 5_000],
      [64, 20_000],
    ]) {
      await decisions(shared, 1_000, concurrency);
      const memoryRuns = [];
      const redisRuns = [];
      // Alternate so that load from elsewhere hits both alike; keep the best of three.
      for (let round = 0; round < 3; round++) {
        memoryRuns.push(await decisions(memory, total * 10, concurrency));
        redisRuns.push(await decisions(shared, total, concurrency));
      }
      rows.push({
        what: `reserve + reconcile, ${concurrency} at a time`,
        memory: Math.min(...memoryRuns),
        redis: Math.min(...redisRuns),
      });
    }
    const provider = () =>
      new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-bench", baseUrl: mock.url });
    const memoryRouter = createCompletionRouter().addProvider(provider());
    memoryRouter.deploy("g", "mock/m", { rpm: 1e12 });
    const redisRouter = createCompletionRouter().addProvider(provider());
    redisRouter.deploy("g", "mock/m", { rpm: 1e12, store });
    const routerRows = [];
    for (const concurrency of [1, 64]) {
      const total = concurrency === 1 ? 2_000 : 10_000;
      await routed(memoryRouter, 500, concurrency);
      await routed(redisRouter, 500, concurrency);
      const memoryRuns = [];
      const redisRuns = [];
      for (let round = 0; round < 3; round++) {
        memoryRuns.push(await routed(memoryRouter, total, concurrency));
        redisRuns.push(await routed(redisRouter, total, concurrency));
      }
      const best = (runs, key) => Math.min(...runs.map((run) => run[key]));
      routerRows.push({
        concurrency,
        memory: best(memoryRuns, "usPerRequest"),
        redis: best(redisRuns, "usPerRequest"),
        memoryCpu: best(memoryRuns, "cpuUs"),
        redisCpu: best(redisRuns, "cpuUs"),
      });
    }
    return `
## Shared rate limits in Redis vs in memory

Decision cost per request of \`RedisRateLimitStore\` (one Lua script per reserve and one per
reconcile, node-redis over loopback to a local \`redis-server\`) next to the default in-memory
\`SlidingWindow\`, measured side by side in one run (best of three alternating rounds). The
limits never bind here, so every request is a full reserve + reconcile. Wall time per request;
with 64 at a time, node-redis pipelines the scripts on one connection. The in-memory calls are
awaited as well (the router calls them synchronously), so its column is an upper bound.

| Operation | In memory | Redis | Ratio |
|---|---:|---:|---:|
${rows.map((row) => `| ${row.what} | ${fmt(row.memory, 2)} µs | ${fmt(row.redis, 1)} µs | ${fmt(row.redis / row.memory, 0)}× |`).join("\n")}

End to end through \`router.invoke\` to the mock server (a child process), a deployment with an
RPM that never binds, in-memory vs Redis store: wall time and the client's CPU per request.

| Concurrency | In memory | Redis | Ratio | CPU in memory | CPU Redis |
|---:|---:|---:|---:|---:|---:|
${routerRows.map((row) => `| ${row.concurrency} | ${fmt(row.memory, 1)} µs | ${fmt(row.redis, 1)} µs | ${fmt(row.redis / row.memory, 2)}× | ${fmt(row.memoryCpu, 1)} µs | ${fmt(row.redisCpu, 1)} µs |`).join("\n")}
`;
  } finally {
    await store.close();
    await closeHttpPools();
    mock.stop();
    await redis.stop();
  }
}

// Run alone: `node bench/redis.mjs` (after a build) prints the section.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(await benchSection());
}
