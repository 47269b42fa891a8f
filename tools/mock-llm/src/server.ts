import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { chunkText, embedText, estimateTokens, lastUserText, relevance } from "./answers.js";
import { answerAnthropic, anthropicErrorBody, anthropicPartialStream } from "./anthropic.js";
import type { MockBehaviour, RecordedRequest } from "./behaviour.js";
import { answerGemini, geminiErrorBody, geminiPartialStream, geminiRoute } from "./gemini.js";
import { sendJson } from "./http-util.js";

/** Options of {@link startMockLlm}. */
export interface MockLlmOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to bind. @default "127.0.0.1" */
  host?: string;
  /** Keep a log of every request in `requests`. Turn off for benchmarks. @default true */
  record?: boolean;
}

/** A running mock server. */
export interface MockLlmServer {
  /** Base URL including `/v1`, without a trailing slash: `http://127.0.0.1:PORT/v1`. */
  readonly url: string;
  /** Origin without a path: `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly port: number;
  /** Every request received, in arrival order (empty when `record` is off). */
  readonly requests: RecordedRequest[];
  /** Number of requests received, counted even when `record` is off. */
  readonly requestCount: number;
  /** Requests whose client closed the connection before the answer was complete. */
  readonly abandonedCount: number;
  /** Queues behaviours consumed one per request, first in first out, by any endpoint. */
  script(...behaviours: MockBehaviour[]): void;
  /** Behaviour for requests once the script is empty. @default { type: "ok" } */
  setDefault(behaviour: MockBehaviour): void;
  /** Clears the log, the count, the script and the default. */
  reset(): void;
  /** Stops listening and destroys open connections, hanging ones included. */
  close(): Promise<void>;
}

/** Which wire format a path speaks. */
type Dialect = "openai" | "anthropic" | "gemini";

function dialectOf(pathname: string): Dialect {
  if (pathname.endsWith("/v1/messages")) return "anthropic";
  if (geminiRoute(pathname)) return "gemini";
  return "openai";
}

function errorBody(dialect: Dialect, status: number): string {
  const message = `scripted ${status}`;
  if (dialect === "anthropic") return anthropicErrorBody(status, message);
  if (dialect === "gemini") return geminiErrorBody(status, message);
  return JSON.stringify({ error: { message, type: "mock" } });
}

function usageOf(promptTokens: number, completionTokens: number) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

function answerChat(
  body: Record<string, unknown>,
  behaviour: Extract<MockBehaviour, { type: "ok" }>,
  response: ServerResponse,
  // TODO(#18): the OpenAI dialect honours `shape.truncate` and `behaviour.toolCalls`.
  _shape: AnswerShape,
): void {
  const prompt = lastUserText(body);
  const content = behaviour.content ?? `echo: ${prompt}`;
  const usage = usageOf(estimateTokens(prompt), estimateTokens(content));
  const model = String(body.model ?? "mock");
  if (body.stream !== true) {
    sendJson(response, 200, {
      id: "chatcmpl-mock",
      object: "chat.completion",
      model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      ...(behaviour.omitUsage ? {} : { usage }),
    });
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const frame = (
    delta: Record<string, unknown>,
    finishReason: string | null = null,
    extra: Record<string, unknown> = {},
  ) =>
    `data: ${JSON.stringify({ id: "chatcmpl-mock", object: "chat.completion.chunk", model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`;
  // A role-only first chunk, an empty delta with the finish reason, and a usage-only last chunk,
  // as OpenAI sends them.
  response.write(frame({ role: "assistant" }));
  for (const piece of chunkText(content)) response.write(frame({ content: piece }));
  response.write(frame({}, "stop"));
  const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)
    ?.include_usage;
  if (wantsUsage && !behaviour.omitUsage) {
    response.write(
      `data: ${JSON.stringify({ id: "chatcmpl-mock", object: "chat.completion.chunk", model, choices: [], usage })}\n\n`,
    );
  }
  response.end("data: [DONE]\n\n");
}

/** How an answer is cut: `truncate` leaves out the dialect's completion marker. */
export interface AnswerShape {
  truncate?: boolean;
}

function answerEndpoint(
  request: IncomingMessage,
  body: Record<string, unknown>,
  behaviour: Extract<MockBehaviour, { type: "ok" }>,
  response: ServerResponse,
  shape: AnswerShape = {},
): void {
  const path = (request.url ?? "/").replace(/\?.*$/, "");
  if (path.endsWith("/v1/messages")) {
    answerAnthropic(request, body, behaviour, response, shape);
    return;
  }
  const gemini = geminiRoute(path);
  if (gemini) {
    answerGemini(request, gemini, body, behaviour, response, shape);
    return;
  }
  if (path.endsWith("/chat/completions")) {
    answerChat(body, behaviour, response, shape);
    return;
  }
  if (path.endsWith("/embeddings")) {
    const input = body.input;
    const texts = Array.isArray(input) ? input.map(String) : [String(input ?? "")];
    const dimensions = typeof body.dimensions === "number" ? body.dimensions : 8;
    const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
    sendJson(response, 200, {
      object: "list",
      model: body.model,
      data: texts.map((text, index) => ({
        object: "embedding",
        index,
        embedding: embedText(text, dimensions),
      })),
      ...(behaviour.omitUsage ? {} : { usage: { prompt_tokens: tokens, total_tokens: tokens } }),
    });
    return;
  }
  if (/\/reranks?$/.test(path)) {
    const query = String(body.query ?? "");
    const documents = Array.isArray(body.documents) ? body.documents.map(String) : [];
    const results = documents
      .map((document, index) => ({ index, relevance_score: relevance(query, document) }))
      .sort((left, right) => right.relevance_score - left.relevance_score);
    const tokens = documents.reduce((sum, doc) => sum + estimateTokens(doc), estimateTokens(query));
    sendJson(response, 200, {
      model: body.model,
      results,
      ...(behaviour.omitUsage ? {} : { usage: { total_tokens: tokens } }),
    });
    return;
  }
  if (path.endsWith("/models")) {
    sendJson(response, 200, { object: "list", data: [{ id: "mock-model", object: "model" }] });
    return;
  }
  sendJson(response, 404, { error: { message: `no route ${path}`, type: "not_found" } });
}

function perform(
  behaviour: MockBehaviour,
  request: IncomingMessage,
  body: Record<string, unknown>,
  response: ServerResponse,
): void {
  const dialect = dialectOf((request.url ?? "/").replace(/\?.*$/, ""));
  switch (behaviour.type) {
    case "ok":
      answerEndpoint(request, body, behaviour, response);
      return;
    case "error": {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (behaviour.retryAfterS !== undefined)
        headers["retry-after"] = String(behaviour.retryAfterS);
      response.writeHead(behaviour.status, headers);
      response.end(behaviour.body ?? errorBody(dialect, behaviour.status));
      return;
    }
    case "hang":
      return;
    case "malformed":
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{ this is not json");
      return;
    case "drop":
      request.socket.destroy();
      return;
    case "raw":
      response.writeHead(behaviour.status ?? 200, {
        "content-type": behaviour.contentType ?? "application/json",
      });
      response.end(behaviour.body);
      return;
    case "truncated":
      answerEndpoint(request, body, { type: "ok" }, response, { truncate: true });
      return;
    case "drop-mid-stream":
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(
        dialect === "anthropic"
          ? anthropicPartialStream()
          : dialect === "gemini"
            ? geminiPartialStream()
            : `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "partial" } }] })}\n\n`,
      );
      setTimeout(() => request.socket.destroy(), 5);
      return;
  }
}

/**
 * Starts a mock LLM server on loopback with scripted failures. OpenAI-compatible routes:
 * `chat/completions` (JSON and SSE), `embeddings` (deterministic vectors), `rerank`/`reranks`,
 * `models`. Anthropic: `POST /v1/messages` (JSON and SSE). Gemini:
 * `/v1beta/models/{model}:generateContent`, `:streamGenerateContent?alt=sse`,
 * `:batchEmbedContents`. Scripted errors use each API's own error JSON.
 */
export async function startMockLlm(options: MockLlmOptions = {}): Promise<MockLlmServer> {
  const record = options.record ?? true;
  const requests: RecordedRequest[] = [];
  const queue: MockBehaviour[] = [];
  let fallback: MockBehaviour = { type: "ok" };
  let requestCount = 0;
  let abandonedCount = 0;
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    response.on("close", () => {
      if (!response.writableFinished) abandonedCount++;
    });
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requestCount++;
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = {};
      }
      if (record) {
        requests.push({
          method: request.method ?? "GET",
          path: request.url ?? "/",
          headers: { ...request.headers },
          body: raw ? body : undefined,
          receivedAt: Date.now(),
        });
      }
      const behaviour = queue.shift() ?? fallback;
      const latencyMs = "latencyMs" in behaviour ? (behaviour.latencyMs ?? 0) : 0;
      if (latencyMs > 0) setTimeout(() => perform(behaviour, request, body, response), latencyMs);
      else perform(behaviour, request, body, response);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host ?? "127.0.0.1"}:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    port,
    requests,
    get requestCount() {
      return requestCount;
    },
    get abandonedCount() {
      return abandonedCount;
    },
    script: (...behaviours) => {
      queue.push(...behaviours);
    },
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      requestCount = 0;
      abandonedCount = 0;
      fallback = { type: "ok" };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
