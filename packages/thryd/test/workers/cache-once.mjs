// A worker process of redis-multiprocess.test.ts: asks one question through a router whose cache
// is in Redis, then prints the answer as JSON.
import {
  closeHttpPools,
  createCompletionRouter,
  OpenAICompatibleProvider,
} from "../../dist/index.js";

const [redisUrl, mockUrl, namespace, message] = process.argv.slice(2);
const router = createCompletionRouter({
  cache: { store: "redis", url: redisUrl, namespace },
}).addProvider(
  new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-worker", baseUrl: mockUrl }),
);
router.deploy("g", "mock/m");
const response = await router.invoke("g", { message });
await router.cache?.close();
await closeHttpPools();
process.stdout.write(JSON.stringify(response));
