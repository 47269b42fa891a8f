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

const FINISH_REASONS = {
  stop: "STOP",
  length: "MAX_TOKENS",
  tool_calls: "STOP",
  content_filter: "SAFETY",
} as const;

/** A behaviour's tool call as a `functionCall` part: Gemini sends no id unless one is scripted. */
function functionCallPart(call: { id?: string; name: string; arguments: string }) {
  let args: unknown = {};
  try {
    args = call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
  } catch {
    args = {};
  }
  return { functionCall: { ...(call.id ? { id: call.id } : {}), name: call.name, args } };
}

/**
 * Answers `models/{model}:generateContent`, `:streamGenerateContent?alt=sse` (chunks end in
 * CRLF CRLF, usageMetadata in each, finishReason on the last) and `:batchEmbedContents`.
 * `reasoning` becomes a `thought: true` part, `toolCalls` become `functionCall` parts (streamed
 * one whole call per chunk, as Gemini does), `finishReason` the matching Gemini reason
 * (`content_filter` → `SAFETY`). A tool-calling answer has text only when `content` is given.
 * `shape.truncate` leaves out the finishReason. A request without `x-goog-api-key` gets 403.
 */
export function answerGemini(
  request: IncomingMessage,
  route: [model: string, method: string],
  body: Record<string, unknown>,
  behaviour: Extract<MockBehaviour, { type: "ok" }>,
  response: ServerResponse,
  shape: AnswerShape = {},
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
  const callParts = (behaviour.toolCalls ?? []).map(functionCallPart);
  const content = behaviour.content ?? (callParts.length > 0 ? "" : `echo: ${prompt}`);
  const finishReason = shape.truncate
    ? undefined
    : FINISH_REASONS[behaviour.finishReason ?? (callParts.length > 0 ? "tool_calls" : "stop")];
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
        ...(finished && finishReason ? { finishReason } : {}),
        index: 0,
      },
    ],
    ...usageAt(candidates),
    modelVersion: model,
    responseId: "mock-response",
  });
  const callTokens = callParts.reduce(
    (sum, part) => sum + estimateTokens(JSON.stringify(part.functionCall.args)),
    0,
  );
  if (method === "generateContent") {
    const textParts = content === "" ? [] : [{ text: content }];
    sendJson(
      response,
      200,
      answer(
        [...thoughtParts, ...textParts, ...callParts],
        estimateTokens(content) + callTokens,
        true,
      ),
    );
    return;
  }
  startSse(response);
  const chunks: object[][] = [];
  if (thoughtParts.length > 0) chunks.push(thoughtParts);
  if (content !== "" || callParts.length === 0) {
    for (const piece of content ? chunkText(content) : [""]) chunks.push([{ text: piece }]);
  }
  for (const part of callParts) chunks.push([part]);
  let sent = 0;
  chunks.forEach((parts, index) => {
    for (const part of parts) {
      sent += "text" in part && !("thought" in part) ? estimateTokens(String(part.text)) : 0;
    }
    const last = index === chunks.length - 1;
    response.write(chunk(answer(parts, sent + (last ? callTokens : 0), last)));
  });
  response.end();
}
