// One of the worker processes of redis-multiprocess.test.ts. Warms up, prints "ready", waits for
// the start time on stdin (so that no process's start-up skews the run), then fires requests at
// one deployment as fast as its shared Redis quota allows until the end time, and prints what it
// sent as JSON.
import { createInterface } from "node:readline";
import {
  closeHttpPools,
  createCompletionRouter,
  OpenAICompatibleProvider,
  RedisRateLimitStore,
} from "../../dist/index.js";

const [redisUrl, mockUrl, prefix, durationMs, rpm, windowS] = process.argv.slice(2);
const store = new RedisRateLimitStore({ url: redisUrl, prefix });
const router = createCompletionRouter().addProvider(
  new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-worker", baseUrl: mockUrl }),
);
router.deploy("g", "mock/m", { rpm: Number(rpm), windowS: Number(windowS), store });
// Warm up (Redis connection, HTTP pool, token counter) on a group without limits; the test
// clears the mock's log before the start.
router.deploy("warm-up", "mock/m");
await router.invoke("warm-up", { message: "warm-up" });
await store.connect();
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
const startAtMs = Number(await new Promise((resolve) => lines.once("line", resolve)));
lines.close();
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAtMs - Date.now())));
const endAt = startAtMs + Number(durationMs);
let sent = 0;
let refused = 0;
await Promise.all(
  Array.from({ length: 8 }, async (_, lane) => {
    while (Date.now() < endAt) {
      try {
        await router.invoke(
          "g",
          { message: `${process.pid}/${lane}/${sent}` },
          { maxWaitMs: Math.max(0, endAt - Date.now()) },
        );
        sent++;
      } catch (error) {
        if (error?.code !== "THRYD_RATE_LIMIT_EXCEEDED") throw error;
        refused++;
        return;
      }
    }
  }),
);
await store.close();
await closeHttpPools();
process.stdout.write(`${JSON.stringify({ sent, refused })}\n`);
