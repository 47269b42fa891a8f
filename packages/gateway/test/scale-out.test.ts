import {
  type MockLlmServer,
  type RedisServer,
  startMockLlm,
  startRedisServer,
} from "@fabricatio/mock-llm";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process.js";

// Two gateway processes on one real redis-server, in front of one mock: what one replica spends
// (deployment RPM, a key's RPM and budget) the other sees, and what one caches the other serves.

const BULK_KEY = "gw-key-bulk-0123456789abcdef";
const RPM_KEY = "gw-key-rpm2-0123456789abcdef";
const CAPPED_KEY = "gw-key-capped-0123456789abcdef";
const DEPLOYMENT_RPM = 4;
const WINDOW_S = 2;

let redis: RedisServer;
let mock: MockLlmServer;
let gateways: GatewayProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  mock = await startMockLlm();
  const overrides = {
    routing: {
      providers: [
        { ptype: "OpenAICompatible", name: "mock", key: "sk-mock-123456", base_url: mock.url },
      ],
      completion_deployments: [
        { id: "mock/limited-mock", group: "limited", rpm: DEPLOYMENT_RPM, window_s: WINDOW_S },
        { id: "mock/gpt-mock", group: "fast" },
        {
          id: "mock/priced-mock",
          group: "priced",
          input_price_per_mtok: 1000,
          output_price_per_mtok: 1000,
        },
      ],
      rate_limit_store: "redis",
      cache_store: "redis",
      redis_url: redis.url,
    },
    gateway: {
      max_wait_s: 10,
      keys: [
        { key: BULK_KEY, name: "bulk" },
        { key: RPM_KEY, name: "two-rpm", rpm: 2 },
        { key: CAPPED_KEY, name: "capped", budget_usd: 0.001 },
      ],
    },
  };
  gateways = await Promise.all([startGatewayProcess(overrides), startGatewayProcess(overrides)]);
}, 60_000);

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.kill()));
  await mock?.close();
  await redis?.stop();
}, 30_000);

beforeEach(() => mock.reset());

const client = (index: number, apiKey = BULK_KEY) =>
  new OpenAI({ apiKey, baseURL: `${gateways[index]!.url}/v1`, maxRetries: 0, timeout: 30_000 });

const ask = (index: number, content: string, model = "fast", apiKey = BULK_KEY) =>
  client(index, apiKey).chat.completions.create({
    model,
    messages: [{ role: "user", content }],
  });

/** The most arrivals in any window of `windowMs` starting at an arrival. */
function busiestWindow(arrivals: readonly number[], windowMs: number): number {
  const sorted = [...arrivals].sort((left, right) => left - right);
  let most = 0;
  for (let start = 0; start < sorted.length; start++) {
    let end = start;
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

describe("two gateways on one Redis", () => {
  it("hold a deployment's RPM together: the mock never sees more than the limit in a window", async () => {
    const total = 3 * DEPLOYMENT_RPM;
    const answers = await Promise.all(
      Array.from({ length: total }, (_, index) => ask(index % 2, `request ${index}`, "limited")),
    );
    expect(answers.map((answer) => answer.choices[0]?.message.content)).toEqual(
      Array.from({ length: total }, (_, index) => `echo: request ${index}`),
    );
    const arrivals = mock.requests.map((request) => request.receivedAt);
    expect(arrivals).toHaveLength(total);
    expect(busiestWindow(arrivals, WINDOW_S * 1000)).toBeLessThanOrEqual(DEPLOYMENT_RPM);
    // Alone, each gateway would have sent its 6 requests within one window.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(WINDOW_S * 1000);
  }, 60_000);

  it("share a key's RPM: its third request, on either gateway, is refused with 429", async () => {
    await ask(0, "one", "fast", RPM_KEY);
    await ask(1, "two", "fast", RPM_KEY);
    const third = await ask(0, "three", "fast", RPM_KEY).catch((error: unknown) => error);
    expect(third).toBeInstanceOf(OpenAI.RateLimitError);
    expect(
      (third as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after"),
    ).toBeTruthy();
    expect(mock.requestCount).toBe(2);
  }, 30_000);

  it("share a key's budget: spent on one gateway, refused on the other", async () => {
    await ask(0, "spend it", "priced", CAPPED_KEY);
    const refused = await ask(1, "more", "priced", CAPPED_KEY).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).code).toBe("budget_exceeded");
    expect(mock.requestCount).toBe(1);
  }, 30_000);

  it("share the answer cache: what one gateway fetched the other answers without the upstream", async () => {
    const first = await ask(0, "cache me across replicas");
    const second = await ask(1, "cache me across replicas");
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(mock.requestCount).toBe(1);
  }, 30_000);
});
