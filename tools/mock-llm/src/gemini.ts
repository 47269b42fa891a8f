import type { IncomingMessage, ServerResponse } from "node:http";
import { chunkText, embedText, estimateTokens } from "./answers.js";
import type { MockBehaviour } from "./behaviour.js";
import { sendJson, startSse } from "./http-util.js";
import type { AnswerShape } from "./server.js";

const STATUSES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** An error body in Google's shape: `{error:{code,message,status}}`. */
export function geminiErrorBody(status: number, message: string): string {
  return JSON.stringify({
    error: { code: status, message, status: STATUSES[status] ?? "UNKNOWN" },
  });
}

/** The path of a Gemini model method: `[model, method]`, or undefined for other paths. */
export function geminiRoute(pathname: string): [model: string, method: string] | undefined {
  const match =
    /\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/.exec(pathname);
  return match ? [decodeURIComponent(match[1]!), match[2]!] : undefined;
}

interface GeminiContent {
  role?: string;
  parts?: { text?: unknown }[];
}

/** The text parts of the last user turn of a `generateContent` body. */
export function geminiUserText(body: unknown): string {
  const contents = (body as { contents?: GeminiContent[] } | undefined)?.contents ?? [];
  const last = [...contents].reverse().find((content) => (content.role ?? "user") === "user");
  return (last?.parts ?? [])
    .map((part) => (typeof part?.text === "string" ? part.text : ""))
    .join("");
}

const chunk = (data: unknown) => `data: ${JSON.stringify(data)}\r\n\r\n`;

/** One streamed chunk with one text part, as `drop-mid-stream` sends before cutting. */
export function geminiPartialStream(): string {
  return chunk({
    candidates: [{ content: { parts: [{ text: "partial" }], role: "model" }, index: 0 }],
  });
}

/**
 * Answers `models/{model}:generateContent`, `:streamGenerateContent?alt=sse` (chunks end in
 * CRLF CRLF, usageMetadata in each, finishReason on the last) and `:batchEmbedContents`.
 * `reasoning` becomes a `thought: true` part. A request without `x-goog-api-key` gets 403.
 */
export function answerGemini(
  request: IncomingMessage,
  route: [model: string, method: string],
  body: Record<string, unknown>,
  behaviour: Extract<MockBehaviour, { type: "ok" }>,
  response: ServerResponse,
  // TODO(#18): honour `shape.truncate` and `behaviour.toolCalls` in this dialect.
  _shape: AnswerShape = {},
): void {
  if (!request.headers["x-goog-api-key"]) {
    response.writeHead(403, { "content-type": "application/json" });
    response.end(geminiErrorBody(403, "Method doesn't allow unregistered callers"));
    return;
  }
  const [model, method] = route;
  if (method === "batchEmbedContents") {
    const requests = Array.isArray(body.requests)
      ? (body.requests as Record<string, unknown>[])
      : [];
    sendJson(response, 200, {
      embeddings: requests.map((item) => ({
        values: embedText(
          geminiUserText({ contents: [item.content] }),
          typeof item.outputDimensionality === "number" ? item.outputDimensionality : 8,
        ),
      })),
    });
    return;
  }
  const prompt = geminiUserText(body);
  const content = behaviour.content ?? `echo: ${prompt}`;
  const promptTokens = estimateTokens(prompt);
  const thoughts = behaviour.reasoning ? estimateTokens(behaviour.reasoning) : 0;
  const usageAt = (candidates: number) =>
    behaviour.omitUsage
      ? {}
      : {
          usageMetadata: {
            promptTokenCount: promptTokens,
            candidatesTokenCount: candidates,
            totalTokenCount: promptTokens + candidates + thoughts,
            ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
          },
        };
  const thoughtParts = behaviour.reasoning ? [{ text: behaviour.reasoning, thought: true }] : [];
  const answer = (parts: object[], candidates: number, finished: boolean) => ({
    candidates: [
      {
        content: { parts, role: "model" },
        ...(finished ? { finishReason: "STOP" } : {}),
        index: 0,
      },
    ],
    ...usageAt(candidates),
    modelVersion: model,
    responseId: "mock-response",
  });
  if (method === "generateContent") {
    sendJson(
      response,
      200,
      answer([...thoughtParts, { text: content }], estimateTokens(content), true),
    );
    return;
  }
  startSse(response);
  if (thoughtParts.length > 0) response.write(chunk(answer(thoughtParts, 0, false)));
  const pieces = content ? chunkText(content) : [""];
  let sent = "";
  pieces.forEach((piece, index) => {
    sent += piece;
    response.write(
      chunk(answer([{ text: piece }], estimateTokens(sent), index === pieces.length - 1)),
    );
  });
  response.end();
}
