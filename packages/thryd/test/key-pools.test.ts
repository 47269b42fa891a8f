import { flushLogger, initLogger } from "@fabricatio/logger";
import { afterEach, describe, expect, it } from "vitest";
import {
  AnthropicProvider,
  type ApiError,
  createCompletionRouter,
  createProvider,
  GeminiProvider,
  OpenAICompatibleProvider,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();

const KEYS = ["sk-pool-first-key-AAA1", "sk-pool-second-key-BBB2", "sk-pool-third-key-CCC3"];

function clock(start = 1_000_000) {
  const time = { now: start };
  return { time, now: () => time.now };
}

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

const sentKeys = (header: string) =>
  mock().requests.map((request) => {
    const value = request.headers[header];
    return typeof value === "string" ? value.replace(/^Bearer /, "") : value;
  });

afterEach(() => flushLogger());

describe("Key pools over loopback", () => {
  it("rotates keys round-robin for each of the three providers", async () => {
    const providers = [
      {
        header: "authorization",
        provider: new OpenAICompatibleProvider({ name: "o", apiKey: KEYS, baseUrl: mock().url }),
      },
      {
        header: "x-api-key",
        provider: new AnthropicProvider({ apiKey: KEYS, baseUrl: mock().origin }),
      },
      {
        header: "x-goog-api-key",
        provider: new GeminiProvider({ apiKey: KEYS, baseUrl: mock().origin }),
      },
    ];
    for (const { header, provider } of providers) {
      mock().reset();
      const model = provider.createCompletionModel("m");
      for (let index = 0; index < 4; index++) await model.invoke({ message: `${index}` });
      expect(sentKeys(header)).toEqual([KEYS[0], KEYS[1], KEYS[2], KEYS[0]]);
    }
  });

  it("retries a 401 on the next key at once, and sets the refused key aside for the cooldown", async () => {
    const { time, now } = clock();
    const { waits, sleep } = recordingSleep();
    const provider = new AnthropicProvider({
      apiKey: KEYS.slice(0, 2),
      baseUrl: mock().origin,
      keyCooldownMs: 30_000,
      now,
    });
    const router = createCompletionRouter({
      retry: { initialBackoffMs: 5 },
      sleep,
      now,
    }).addProvider(provider);
    router.deploy("g", "anthropic/claude");
    mock().script({ type: "error", status: 401 });
    await expect(router.invoke("g", { message: "x" })).resolves.toMatchObject({
      content: "echo: x",
    });
    await router.invoke("g", { message: "y" });
    await router.invoke("g", { message: "z" });
    expect(sentKeys("x-api-key")).toEqual([KEYS[0], KEYS[1], KEYS[1], KEYS[1]]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeLessThanOrEqual(5);
    expect(provider.keyStates()[0]).toMatchObject({
      hint: "…AAA1",
      coolingUntilMs: 1_030_000,
      rejections: 1,
      lastStatus: 401,
    });
    time.now += 30_000;
    await router.invoke("g", { message: "back" });
    expect(sentKeys("x-api-key").at(-1)).toBe(KEYS[0]);
  });

  it("cools a 429 key down for its Retry-After and retries on the other key without waiting it", async () => {
    const { time, now } = clock();
    const { waits, sleep } = recordingSleep();
    const provider = new OpenAICompatibleProvider({
      name: "o",
      apiKey: KEYS.slice(0, 2),
      baseUrl: mock().url,
      now,
    });
    const router = createCompletionRouter({
      retry: { initialBackoffMs: 5 },
      sleep,
      now,
    }).addProvider(provider);
    router.deploy("g", "o/m");
    mock().script({ type: "error", status: 429, retryAfterS: 5 });
    await router.invoke("g", { message: "x" });
    expect(waits[0]).toBeLessThan(5000);
    expect(provider.keyStates()[0]?.coolingUntilMs).toBe(1_005_000);
    time.now += 4_999;
    await router.invoke("g", { message: "still cooling" });
    time.now += 1;
    await router.invoke("g", { message: "ready again" });
    expect(sentKeys("authorization")).toEqual([KEYS[0], KEYS[1], KEYS[1], KEYS[0]]);
  });

  it("retries a stream refused with 429 on the next key before any delta", async () => {
    const { waits, sleep } = recordingSleep();
    const provider = new GeminiProvider({ apiKey: KEYS.slice(0, 2), baseUrl: mock().origin });
    const router = createCompletionRouter({ retry: true, sleep }).addProvider(provider);
    router.deploy("g", "gemini/g");
    mock().script({ type: "error", status: 429, retryAfterS: 30 });
    const deltas: string[] = [];
    for await (const delta of router.stream("g", { message: "stream" })) deltas.push(delta);
    expect(deltas.join("")).toBe("echo: stream");
    expect(sentKeys("x-goog-api-key")).toEqual([KEYS[0], KEYS[1]]);
    expect(waits[0]).toBeLessThan(30_000);
  });

  it("uses the key whose cooldown ends first when all are cooling, a 401 then failing for good", async () => {
    const { time, now } = clock();
    const provider = new GeminiProvider({ apiKey: KEYS.slice(0, 2), baseUrl: mock().origin, now });
    const model = provider.createCompletionModel("g");
    mock().script({ type: "error", status: 401 }, { type: "error", status: 401 });
    const first = (await model.invoke({ message: "1" }).catch((caught) => caught)) as ApiError;
    time.now += 1_000;
    const second = (await model.invoke({ message: "2" }).catch((caught) => caught)) as ApiError;
    expect([first.status, first.isRetryable]).toEqual([401, true]);
    expect([second.status, second.isRetryable]).toEqual([401, false]);
    await model.invoke({ message: "3" });
    await model.invoke({ message: "4" });
    expect(sentKeys("x-goog-api-key")).toEqual([KEYS[0], KEYS[1], KEYS[0], KEYS[0]]);
  });

  it("treats Gemini's 400 API_KEY_INVALID as a refused key", async () => {
    const provider = new GeminiProvider({ apiKey: KEYS.slice(0, 2), baseUrl: mock().origin });
    const router = createCompletionRouter({ retry: true, sleep: async () => {} }).addProvider(
      provider,
    );
    router.deploy("g", "gemini/g");
    mock().script({
      type: "error",
      status: 400,
      body: JSON.stringify({
        error: {
          code: 400,
          message: "API key not valid. Please pass a valid API key.",
          status: "INVALID_ARGUMENT",
          details: [
            { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" },
          ],
        },
      }),
    });
    await expect(router.invoke("g", { message: "x" })).resolves.toMatchObject({
      content: "echo: x",
    });
    expect(provider.keyStates()[0]).toMatchObject({ rejections: 1, lastStatus: 400 });
  });

  it("keeps a single key on today's path: a 401 stays fatal and nothing cools down", async () => {
    const provider = new AnthropicProvider({ apiKey: KEYS[0]!, baseUrl: mock().origin });
    const router = createCompletionRouter({ retry: true, sleep: async () => {} }).addProvider(
      provider,
    );
    router.deploy("g", "anthropic/c");
    mock().script({ type: "error", status: 401 });
    await expect(router.invoke("g", { message: "x" })).rejects.toMatchObject({
      status: 401,
      isRetryable: false,
    });
    expect(mock().requestCount).toBe(1);
    expect(provider.keyStates()).toEqual([
      { index: 0, hint: "…AAA1", coolingUntilMs: undefined, rejections: 0, lastStatus: undefined },
    ]);
  });

  it("builds a pool from a comma-separated *_API_KEY through createProvider", () => {
    const env = { OPENAI_API_KEY: `${KEYS[0]}, ${KEYS[1]}`, GEMINI_API_KEY: KEYS.join(",") };
    const openai = createProvider("OpenAI", { env }) as OpenAICompatibleProvider;
    const gemini = createProvider("Gemini", { env, keyCooldownMs: 5 }) as GeminiProvider;
    expect(openai.keyStates().map((state) => state.hint)).toEqual(["…AAA1", "…BBB2"]);
    expect(gemini.keyStates()).toHaveLength(3);
  });

  it("never shows a key in errors, key states or log lines", async () => {
    const lines: string[] = [];
    initLogger({ level: "TRACE", stream: { write: (line: string) => void lines.push(line) } });
    const provider = new OpenAICompatibleProvider({ name: "o", apiKey: KEYS, baseUrl: mock().url });
    const router = createCompletionRouter({
      retry: { maxRetries: 2 },
      sleep: async () => {},
    }).addProvider(provider);
    router.deploy("g", "o/m");
    mock().script(
      { type: "error", status: 429 },
      { type: "error", status: 401 },
      { type: "error", status: 401 },
    );
    const error = await router.invoke("g", { message: "x" }).catch((caught) => caught);
    expect(error).toMatchObject({ status: 401 });
    await flushLogger();
    const visible = [
      (error as Error).message,
      JSON.stringify(error),
      String((error as Error).cause),
      JSON.stringify(provider.keyStates()),
      ...lines,
    ].join("\n");
    expect(lines.some((line) => line.includes("…AAA1"))).toBe(true);
    for (const key of KEYS) expect(visible).not.toContain(key);
  });
});
