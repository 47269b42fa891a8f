import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { flushLogger, initLogger, secretRegistry } from "@fabricatio/logger";
import { SpanStatusCode } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AnthropicProvider,
  ApiError,
  closeHttpPools,
  createCompletionRouter,
  createProvider,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  GeminiProvider,
  isTransientError,
  OpenAICompatibleProvider,
  ProviderCreateError,
  StreamIdleTimeoutError,
  TimeoutError,
} from "../src/index.js";
import { GenAiTracing } from "../src/observability/tracing.js";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

// One loopback server whose behaviour each test sets; it records every request it saw.
let server: Server;
let baseUrl: string;
let handler: Handler = (_request, response) => response.end("{}");
const seen: { path: string; authorization: string | undefined }[] = [];
const open = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? "", authorization: request.headers.authorization });
    open.add(response);
    response.on("close", () => open.delete(response));
    request.resume();
    request.on("end", () => handler(request, response));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterEach(() => {
  for (const response of open) response.destroy();
  seen.length = 0;
  secretRegistry().clear();
});
afterAll(async () => {
  await closeHttpPools();
  server.closeAllConnections();
  server.close();
});

const CANARY = "sk-canary-9f8e7d6c5b4a3210";
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => {
  return (_request, response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };
};
const openai = (options: Partial<ConstructorParameters<typeof OpenAICompatibleProvider>[0]> = {}) =>
  new OpenAICompatibleProvider({ name: "mock", apiKey: CANARY, baseUrl, ...options });
const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe("an upstream that echoes the key", () => {
  it("never shows it in the error message, the body, the logs or the span status", async () => {
    handler = json(401, {
      error: { message: `Incorrect API key provided: ${CANARY}.`, type: "invalid_request_error" },
    });
    const lines: string[] = [];
    initLogger({ level: "trace", stream: { write: (line: string) => lines.push(line) } });
    const provider = openai({ apiKey: [CANARY, `${CANARY}-second`] });
    const error = (await caught(
      provider.createCompletionModel("gpt").invoke({ message: "hi" }),
    )) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.body).toContain("Incorrect API key provided: ***.");
    expect(error.errorType).toBe("invalid_request_error");

    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracing = new GenAiTracing("completion", tracerProvider.getTracer("test"));
    const deployment = { id: "mock/gpt", group: "g", model: { name: "gpt", provider } };
    tracing.fail(tracing.start(deployment, {}), error);
    const span = exporter.getFinishedSpans()[0]!;
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    await flushLogger();
    const outputs = [error.message, error.body, String(error), span.status.message ?? "", ...lines];
    for (const output of outputs) expect(output).not.toContain(CANARY);
    expect(lines.join("")).toContain("got HTTP 401");
  });
});

describe("request timeouts", () => {
  it("default to ten minutes for the headers and one minute of stream silence", () => {
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(600_000);
    expect(DEFAULT_STREAM_IDLE_TIMEOUT_MS).toBe(60_000);
  });

  it("end a request whose upstream accepts and never answers, at the provider's limit", async () => {
    handler = () => {};
    const started = performance.now();
    const error = await caught(
      openai({ requestTimeoutMs: 300 }).createCompletionModel("gpt").invoke({ message: "hi" }),
    );
    const elapsedMs = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isTransientError(error)).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(250);
    expect(elapsedMs).toBeLessThan(5_000);
  }, 15_000);

  it("end a stream that goes silent after its first chunk, at the idle limit", async () => {
    handler = (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write('data: {"choices":[{"index":0,"delta":{"content":"par"}}]}\n\n');
    };
    const provider = openai({ streamIdleTimeoutMs: 300 });
    const started = performance.now();
    const answer = await provider.postStream("chat/completions", { stream: true });
    const chunks: Uint8Array[] = [];
    const error = await caught(
      (async () => {
        for await (const chunk of answer.body) chunks.push(chunk);
      })(),
    );
    expect(chunks.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(StreamIdleTimeoutError);
    expect((error as StreamIdleTimeoutError).idleTimeoutMs).toBe(300);
    expect(isTransientError(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
  }, 15_000);

  it("never turn a huge per-call timeout into a 1 ms timer", async () => {
    handler = (_request, response) => {
      setTimeout(() => json(200, { ok: true })(_request, response), 50);
    };
    const answer = await openai({ requestTimeoutMs: 1e12 }).postJson<{ ok: boolean }>(
      "anything",
      {},
      { timeoutMs: 1e12 },
    );
    expect(answer).toEqual({ ok: true });
  }, 15_000);
});

describe("retry signals", () => {
  it("treat HTTP 408 as transient and retry it, as the official SDKs do", async () => {
    let calls = 0;
    handler = (request, response) => {
      calls += 1;
      if (calls === 1) json(408, { error: { message: "timeout" } })(request, response);
      else
        json(200, {
          choices: [
            { index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        })(request, response);
    };
    const router = createCompletionRouter({
      retry: { maxRetries: 1, initialBackoffMs: 1 },
      cache: false,
    }).addProvider(openai());
    router.deploy("g", "mock/gpt");
    const response = await router.invoke("g", { message: "hi" });
    expect(response.content).toBe("ok");
    expect(calls).toBe(2);
  }, 15_000);

  it("read retry-after-ms before Retry-After, and obey x-should-retry", async () => {
    handler = json(
      429,
      { error: { message: "slow down" } },
      {
        "retry-after-ms": "1500",
        "retry-after": "30",
      },
    );
    const limited = (await caught(openai().postJson("x", {}))) as ApiError;
    expect(limited.retryAfterMs).toBe(1500);
    handler = json(
      500,
      { error: { message: "bad request in disguise" } },
      {
        "x-should-retry": "false",
      },
    );
    const final = (await caught(openai().postJson("x", {}))) as ApiError;
    expect(final.status).toBe(500);
    expect(final.isRetryable).toBe(false);
  });
});

describe("a key holding a line break", () => {
  it.each([
    ["OpenAICompatible", () => openai({ apiKey: "sk-abc\ndef" })],
    ["Anthropic", () => new AnthropicProvider({ apiKey: "sk-ant\r\nx", baseUrl })],
    ["Gemini", () => new GeminiProvider({ apiKey: ["AIza-good", "AIza-bad\n"], baseUrl })],
    [
      "OpenAI from the environment",
      () => createProvider("OpenAI", { env: { OPENAI_API_KEY: "sk-a\nb" } }),
    ],
  ])(
    "is a ProviderCreateError at creation for %s, not a retryable network error",
    (_name, make) => {
      const error = (() => {
        try {
          make();
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ProviderCreateError);
      expect((error as Error).message).toMatch(/holds a line break/);
      expect((error as Error).message).not.toMatch(/sk-|AIza/);
    },
  );
});

describe('ptype "OpenAI"', () => {
  it("honours an endpoint (base_url) instead of always calling api.openai.com", async () => {
    handler = json(200, {
      data: [{ index: 0, embedding: [0.5, 0.5] }],
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
    const provider = createProvider("OpenAI", { apiKey: CANARY, endpoint: baseUrl });
    expect(provider.baseUrl).toBe(`${baseUrl}/`);
    await provider.postJson("embeddings", { input: ["x"] });
    expect(seen[0]).toEqual({ path: "/v1/embeddings", authorization: `Bearer ${CANARY}` });
  });
});
