// One of the worker processes of redis-multiprocess.test.ts: fires requests at one deployment as
// fast as its shared Redis quota allows, for a fixed time, then prints what it sent as JSON.
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
const endAt = Date.now() + Number(durationMs);
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
process.stdout.write(JSON.stringify({ sent, refused }));
