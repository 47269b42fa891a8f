import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { flushLogger, initLogger } from "@fabricatio/logger";
import type { MockBehaviour, MockLlmServer } from "@fabricatio/mock-llm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AnthropicProvider,
  type CompletionRequest,
  createCompletionRouter,
  GeminiProvider,
  OpenAICompatibleProvider,
  type Provider,
  type RetryConfig,
  RouterCache,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";

// Every request of this file is sent with this key; no output may ever show it.
const CANARY = "sk-canary-faults-7f3e9a1b2c4d5e6f";
const TIMEOUT_MS = 1_000;
const IDLE_TIMEOUT_MS = 400;
// What a failing call may take beyond its configured limit on a loaded machine.
const MARGIN_MS = 1_500;

const mock = useMockServer();

type Mode = "json" | "stream";

interface Dialect {
  name: "openai" | "anthropic" | "gemini";
  provider(server: MockLlmServer): Provider;
  /** A 401 body in the dialect's own error shape that echoes the key, as real APIs do. */
  echoedKeyBody: string;
}

const DIALECTS: Dialect[] = [
  {
    name: "openai",
    provider: (server) =>
      new OpenAICompatibleProvider({ name: "openai", apiKey: CANARY, baseUrl: server.url }),
    echoedKeyBody: JSON.stringify({
      error: {
        message: `Incorrect API key provided: ${CANARY}. You can find your API key at …`,
        type: "invalid_request_error",
        code: "invalid_api_key",
      },
    }),
  },
  {
    name: "anthropic",
    provider: (server) => new AnthropicProvider({ apiKey: CANARY, baseUrl: server.origin }),
    echoedKeyBody: JSON.stringify({
      type: "error",
      error: { type: "authentication_error", message: `invalid x-api-key: ${CANARY}` },
    }),
  },
  {
    name: "gemini",
    provider: (server) => new GeminiProvider({ apiKey: CANARY, baseUrl: server.origin }),
    echoedKeyBody: JSON.stringify({
      error: {
        code: 400,
        message: `API key not valid: ${CANARY}. Please pass a valid API key.`,
        status: "INVALID_ARGUMENT",
      },
    }),
  },
];

const raw = (body: string, contentType: string): MockBehaviour => ({
  type: "raw",
  body,
  contentType,
});
const GEMINI_ARRAY = JSON.stringify([
  {
    candidates: [
      { content: { role: "model", parts: [{ text: "Hello" }] }, finishReason: "STOP", index: 0 },
    ],
  },
]);

interface FaultCase {
  name: string;
  behaviour: (dialect: Dialect) => MockBehaviour;
  modes: Mode[];
  /** The error's `code` per mode. */
  code: Record<Mode, string> | string;
  /** The limit the failure must come within (plus the margin); also its lower bound for waits. */
  limitMs?: Record<Mode, number> | number;
  /** Whether the failure waits for that limit (a hang, a stall). */
  waits?: boolean;
  only?: Dialect["name"];
  /** The router retries (maxRetries 2): for the Retry-After cap. */
  retry?: boolean;
  /** Whether a stream yields text before the fault: it cannot be retried then. */
  yieldsFirst?: boolean;
  /** The router's `timeoutMs` for this case. @default TIMEOUT_MS */
  timeoutMs?: number;
}

const CASES: FaultCase[] = [
  {
    name: "an answer cut before the provider's end marker",
    behaviour: () => ({ type: "truncated" }),
    modes: ["json", "stream"],
    code: "THRYD_INCOMPLETE_RESPONSE",
    yieldsFirst: true,
  },
  {
    name: "an empty 200 body",
    behaviour: () => raw("", "application/json"),
    modes: ["json", "stream"],
    code: "THRYD_INCOMPLETE_RESPONSE",
  },
  {
    name: "an HTML page on 200",
    behaviour: () =>
      raw("<!doctype html><html><body>Gateway maintenance</body></html>", "text/html"),
    modes: ["json", "stream"],
    code: { json: "THRYD_PARSE", stream: "THRYD_INCOMPLETE_RESPONSE" },
  },
  {
    name: 'a {"error": …} JSON body on 200',
    behaviour: () =>
      raw(
        JSON.stringify({ error: { message: "upstream overloaded", type: "server_error" } }),
        "application/json",
      ),
    modes: ["json", "stream"],
    code: "THRYD_INCOMPLETE_RESPONSE",
  },
  {
    name: "a JSON array where SSE was asked for",
    behaviour: () => raw(GEMINI_ARRAY, "application/json"),
    modes: ["stream"],
    code: "THRYD_INCOMPLETE_RESPONSE",
    only: "gemini",
  },
  {
    name: "an upstream that accepts and never answers",
    behaviour: () => ({ type: "hang" }),
    modes: ["json", "stream"],
    code: "THRYD_TIMEOUT",
    limitMs: TIMEOUT_MS,
    waits: true,
  },
  {
    name: "a dropped connection",
    behaviour: () => ({ type: "drop" }),
    modes: ["json", "stream"],
    code: "THRYD_NETWORK",
  },
  {
    name: "a connection dropped mid-stream",
    behaviour: () => ({ type: "drop-mid-stream" }),
    modes: ["stream"],
    code: "THRYD_NETWORK",
    yieldsFirst: true,
  },
  {
    name: "a stream that goes silent after its first chunk",
    behaviour: () => ({ type: "stall-mid-stream" }),
    modes: ["stream"],
    code: "THRYD_STREAM_IDLE_TIMEOUT",
    limitMs: IDLE_TIMEOUT_MS,
    waits: true,
    yieldsFirst: true,
    // Only the idle limit: a slow start on a loaded machine must not hit the attempt's limit.
    timeoutMs: 30_000,
  },
  {
    name: "a 429 asking to come back in an hour",
    behaviour: () => ({ type: "error", status: 429, retryAfterS: 3600 }),
    modes: ["json", "stream"],
    code: "THRYD_RATE_LIMIT_EXCEEDED",
    retry: true,
  },
  {
    name: "an error body echoing the key",
    behaviour: (dialect) => ({ type: "error", status: 401, body: dialect.echoedKeyBody }),
    modes: ["json", "stream"],
    code: "THRYD_API_ERROR",
  },
];

const logLines: string[] = [];
const outputs: string[] = [];
let cacheDir: string;
let cacheFiles = 0;

beforeAll(() => {
  initLogger({ level: "trace", stream: { write: (line: string) => logLines.push(line) } });
  cacheDir = mkdtempSync(path.join(tmpdir(), "thryd-faults-"));
});
afterAll(async () => {
  await flushLogger();
  rmSync(cacheDir, { recursive: true, force: true });
});

function routerFor(dialect: Dialect, retry: RetryConfig | undefined, timeoutMs = TIMEOUT_MS) {
  const cache = new RouterCache({ path: path.join(cacheDir, `cache-${cacheFiles++}.sqlite`) });
  const router = createCompletionRouter({
    cache,
    timeoutMs,
    streamIdleTimeoutMs: IDLE_TIMEOUT_MS,
    ...(retry ? { retry, random: () => 0 } : {}),
  }).addProvider(dialect.provider(mock()));
  router.deploy("g", `${router.providerNames()[0]}/model-x`);
  return { router, cache };
}

async function send(
  router: ReturnType<typeof routerFor>["router"],
  mode: Mode,
  request: CompletionRequest,
): Promise<string> {
  if (mode === "json") return (await router.invoke("g", request)).content;
  let text = "";
  for await (const piece of router.stream("g", request)) text += piece;
  return text;
}

/** Every text an error exposes: message, stack, body, and the same of its causes. */
function exposedTexts(error: unknown, depth = 0): string[] {
  if (typeof error !== "object" || error === null || depth > 5) return [String(error)];
  const record = error as { message?: unknown; stack?: unknown; body?: unknown; cause?: unknown };
  return [
    String(error),
    String(record.message ?? ""),
    String(record.stack ?? ""),
    String(record.body ?? ""),
    JSON.stringify(error),
    ...(record.cause === undefined ? [] : exposedTexts(record.cause, depth + 1)),
  ];
}

const modeValue = <T>(value: Record<Mode, T> | T, mode: Mode): T =>
  typeof value === "object" && value !== null && "json" in value
    ? (value as Record<Mode, T>)[mode]
    : (value as T);

// The last suite checks what every fault before it printed, so the suites keep their order
// under `--sequence.shuffle` (the tests inside them are independent of each other's order too,
// but run in place as well: a suite's option applies to everything under it).
describe("Faults", { shuffle: false }, () => {
  describe("Fault injection against the mock: typed errors, nothing wrong cached, no key shown, no hang", () => {
    for (const dialect of DIALECTS) {
      for (const fault of CASES) {
        if (fault.only && fault.only !== dialect.name) continue;
        for (const mode of fault.modes) {
          it(`${dialect.name} ${mode}: ${fault.name}`, async () => {
            const { router, cache } = routerFor(
              dialect,
              fault.retry ? { maxRetries: 2, initialBackoffMs: 1 } : undefined,
              fault.timeoutMs,
            );
            const message = `${dialect.name} ${mode} ${fault.name}`;
            mock().script(fault.behaviour(dialect));
            const limitMs = modeValue(fault.limitMs ?? 0, mode);
            const started = performance.now();
            const error = await send(router, mode, { message }).then(
              (content) => new Error(`expected a failure, got the answer "${content}"`),
              (caught: unknown) => caught,
            );
            const elapsedMs = performance.now() - started;
            expect(error).toMatchObject({ code: modeValue(fault.code, mode) });
            expect(elapsedMs).toBeLessThan(limitMs + MARGIN_MS);
            if (fault.waits) expect(elapsedMs).toBeGreaterThanOrEqual(limitMs - 50);
            outputs.push(...exposedTexts(error));
            for (const text of exposedTexts(error)) expect(text).not.toContain(CANARY);

            // Nothing was cached: the next call reaches the provider and gets the right answer,
            // which is cached in turn.
            const before = mock().requestCount;
            await expect(send(router, mode, { message })).resolves.toBe(`echo: ${message}`);
            expect(mock().requestCount).toBe(before + 1);
            await expect(send(router, mode, { message })).resolves.toBe(`echo: ${message}`);
            expect(mock().requestCount).toBe(before + 1);
            await cache.close();
          }, 20_000);
        }
      }
    }
  });

  describe("Fault injection with retries: every transient fault ends in the right answer", () => {
    const transient = CASES.filter(
      (fault) =>
        !fault.retry && fault.code !== "THRYD_API_ERROR" && fault.name !== "an HTML page on 200",
    );
    for (const dialect of DIALECTS) {
      for (const fault of transient) {
        if (fault.only && fault.only !== dialect.name) continue;
        for (const mode of fault.modes) {
          // Text the consumer already has cannot be taken back: such a stream fails, typed.
          const retried = !(mode === "stream" && fault.yieldsFirst);
          it(`${dialect.name} ${mode}: ${fault.name}${retried ? "" : " (after text: not retried)"}`, async () => {
            const { router, cache } = routerFor(
              dialect,
              { maxRetries: 1, initialBackoffMs: 1 },
              fault.timeoutMs,
            );
            const message = `retried ${dialect.name} ${mode} ${fault.name}`;
            mock().script(fault.behaviour(dialect));
            const started = performance.now();
            const first = send(router, mode, { message });
            if (retried) await expect(first).resolves.toBe(`echo: ${message}`);
            else await expect(first).rejects.toMatchObject({ code: modeValue(fault.code, mode) });
            expect(performance.now() - started).toBeLessThan(
              modeValue(fault.limitMs ?? 0, mode) + MARGIN_MS,
            );
            expect(mock().requestCount).toBe(retried ? 2 : 1);
            // Whatever is cached is the right answer.
            await expect(send(router, mode, { message })).resolves.toBe(`echo: ${message}`);
            await expect(send(router, mode, { message })).resolves.toBe(`echo: ${message}`);
            expect(mock().requestCount).toBe(2);
            await cache.close();
          }, 20_000);
        }
      }
    }

    it("retries a 503 whose body echoes the key, logging it masked", async () => {
      for (const dialect of DIALECTS) {
        const { router, cache } = routerFor(dialect, { maxRetries: 1, initialBackoffMs: 1 });
        mock().reset();
        mock().script({ type: "error", status: 503, body: dialect.echoedKeyBody });
        await expect(router.invoke("g", { message: "busy" })).resolves.toMatchObject({
          content: "echo: busy",
        });
        expect(mock().requestCount).toBe(2);
        await cache.close();
      }
    }, 20_000);

    it("does not retry an answer that is not JSON at all, nor a refused key", async () => {
      for (const dialect of DIALECTS) {
        const { router, cache } = routerFor(dialect, { maxRetries: 2, initialBackoffMs: 1 });
        mock().reset();
        mock().script(raw("<!doctype html><p>maintenance</p>", "text/html"));
        await expect(router.invoke("g", { message: "html" })).rejects.toMatchObject({
          code: "THRYD_PARSE",
        });
        mock().script({ type: "error", status: 401, body: dialect.echoedKeyBody });
        const refused = await router.invoke("g", { message: "key" }).catch((caught) => caught);
        expect(refused).toMatchObject({ code: "THRYD_API_ERROR", status: 401 });
        outputs.push(...exposedTexts(refused));
        expect(mock().requestCount).toBe(2);
        await cache.close();
      }
    }, 20_000);
  });

  describe("After every fault", () => {
    it("printed the key nowhere: not in an error, not in a log line", async () => {
      await flushLogger();
      expect(outputs.length).toBeGreaterThan(50);
      const logs = logLines.join("\n");
      expect(logs).toMatch(/HTTP 503/);
      expect(logs).toContain("***");
      for (const line of [...outputs, ...logLines]) expect(line).not.toContain(CANARY);
    });
  });
});
