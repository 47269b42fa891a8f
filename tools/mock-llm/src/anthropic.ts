import type { IncomingMessage, ServerResponse } from "node:http";
import { chunkText, estimateTokens, lastUserText } from "./answers.js";
import type { MockBehaviour } from "./behaviour.js";
import { sendJson, startSse } from "./http-util.js";
import type { AnswerShape } from "./server.js";

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

/** An error body in the Messages API's shape: `{type:"error",error:{type,message}}`. */
export function anthropicErrorBody(status: number, message: string): string {
  return JSON.stringify({
    type: "error",
    error: { type: ERROR_TYPES[status] ?? "api_error", message },
  });
}

type Event = Record<string, unknown> & { type: string };

const frame = (data: Event) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

/** The SSE start of a message, as `drop-mid-stream` sends before it cuts the connection. */
export function anthropicPartialStream(): string {
  return (
    frame({
      type: "message_start",
      message: { id: "msg_mock", type: "message", role: "assistant", content: [], usage: {} },
    }) +
    frame({
      type: "content_block_delta",
      index: 0,
      delta: { type: "text_delta", text: "partial" },
    })
  );
}

/**
 * Answers `POST /v1/messages` like the Messages API: JSON, or (with `stream: true`) the real
 * event sequence message_start, content_block_start, ping, content_block_delta…,
 * content_block_stop, message_delta (usage), message_stop. `reasoning` becomes a thinking block.
 */
export function answerAnthropic(
  request: IncomingMessage,
  body: Record<string, unknown>,
  behaviour: Extract<MockBehaviour, { type: "ok" }>,
  response: ServerResponse,
  // TODO(#18): honour `shape.truncate` and `behaviour.toolCalls` in this dialect.
  _shape: AnswerShape = {},
): void {
  if (!request.headers["x-api-key"]) {
    response.writeHead(401, { "content-type": "application/json" });
    response.end(anthropicErrorBody(401, "x-api-key header is required"));
    return;
  }
  if (typeof body.max_tokens !== "number") {
    response.writeHead(400, { "content-type": "application/json" });
    response.end(anthropicErrorBody(400, "max_tokens: Field required"));
    return;
  }
  const prompt = lastUserText(body);
  const content = behaviour.content ?? `echo: ${prompt}`;
  const model = String(body.model ?? "mock");
  const inputTokens = estimateTokens(prompt);
  const outputTokens =
    estimateTokens(content) + (behaviour.reasoning ? estimateTokens(behaviour.reasoning) : 0);
  const usage = behaviour.omitUsage
    ? {}
    : { usage: { input_tokens: inputTokens, output_tokens: outputTokens } };
  const thinking = behaviour.reasoning
    ? [{ type: "thinking", thinking: behaviour.reasoning, signature: "mock-signature" }]
    : [];
  if (body.stream !== true) {
    sendJson(response, 200, {
      id: "msg_mock",
      type: "message",
      role: "assistant",
      model,
      content: [...thinking, { type: "text", text: content }],
      stop_reason: "end_turn",
      stop_sequence: null,
      ...usage,
    });
    return;
  }
  startSse(response);
  const send = (data: Event) => response.write(frame(data));
  send({
    type: "message_start",
    message: {
      id: "msg_mock",
      type: "message",
      role: "assistant",
      content: [],
      model,
      stop_reason: null,
      stop_sequence: null,
      ...(behaviour.omitUsage ? {} : { usage: { input_tokens: inputTokens, output_tokens: 1 } }),
    },
  });
  let index = 0;
  if (behaviour.reasoning) {
    send({ type: "content_block_start", index, content_block: { type: "thinking", thinking: "" } });
    send({
      type: "content_block_delta",
      index,
      delta: { type: "thinking_delta", thinking: behaviour.reasoning },
    });
    send({
      type: "content_block_delta",
      index,
      delta: { type: "signature_delta", signature: "mock-signature" },
    });
    send({ type: "content_block_stop", index });
    index++;
  }
  send({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
  send({ type: "ping" });
  for (const piece of chunkText(content)) {
    send({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
  }
  send({ type: "content_block_stop", index });
  send({
    type: "message_delta",
    delta: { stop_reason: "end_turn", stop_sequence: null },
    ...(behaviour.omitUsage ? {} : { usage: { output_tokens: outputTokens } }),
  });
  send({ type: "message_stop" });
  response.end();
}
