import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { embedText, estimateTokens, relevance } from "./answers.js";
import { answerAnthropic, anthropicErrorBody, anthropicPartialStream } from "./anthropic.js";
import type { AnswerShape, MockBehaviour, RecordedRequest } from "./behaviour.js";
import { answerGemini, geminiErrorBody, geminiPartialStream, geminiRoute } from "./gemini.js";
import { sendJson } from "./http-util.js";
import { answerOpenAIChat } from "./openai.js";

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

export type { AnswerShape } from "./behaviour.js";

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
    answerOpenAIChat(body, behaviour, response, shape);
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
    case "stall-mid-stream":
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(
        dialect === "anthropic"
          ? anthropicPartialStream()
          : dialect === "gemini"
            ? geminiPartialStream()
            : `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "partial" } }] })}\n\n`,
      );
      if (behaviour.type === "drop-mid-stream") setTimeout(() => request.socket.destroy(), 5);
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
      let isJson = false;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        isJson = raw !== "";
      } catch {
        body = {};
      }
      if (record) {
        requests.push({
          method: request.method ?? "GET",
          path: request.url ?? "/",
          headers: { ...request.headers },
          body: isJson ? body : undefined,
          rawBody: raw,
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
