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

const STOP_REASONS = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "refusal",
} as const;

/** A tool call of a behaviour as a `tool_use` block; ids default to `toolu_mock_<n>`. */
function toolUseOf(call: { id?: string; name: string; arguments: string }, index: number) {
  let input: unknown = {};
  try {
    input = call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
  } catch {
    input = {};
  }
  return {
    type: "tool_use",
    id: call.id ?? `toolu_mock_${index}`,
    name: call.name,
    input,
    // The stream sends the arguments as written, split in pieces, as Anthropic does.
    json: call.arguments,
  };
}

/**
 * Answers `POST /v1/messages` like the Messages API: JSON, or (with `stream: true`) the real
 * event sequence message_start, content_block_start, ping, content_block_delta…,
 * content_block_stop, message_delta (usage), message_stop. `reasoning` becomes a thinking block,
 * `toolCalls` become `tool_use` blocks (streamed as `input_json_delta` pieces), and
 * `finishReason` the matching `stop_reason`. A tool-calling answer has text only when
 * `content` is given. `shape.truncate` leaves out `stop_reason` (JSON) or `message_stop` (SSE).
 */
export function answerAnthropic(
  request: IncomingMessage,
  body: Record<string, unknown>,
  behaviour: Extract<MockBehaviour, { type: "ok" }>,
  response: ServerResponse,
  shape: AnswerShape = {},
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
  const toolUses = (behaviour.toolCalls ?? []).map(toolUseOf);
  const content = behaviour.content ?? (toolUses.length > 0 ? "" : `echo: ${prompt}`);
  const stopReason = shape.truncate
    ? null
    : STOP_REASONS[behaviour.finishReason ?? (toolUses.length > 0 ? "tool_calls" : "stop")];
  const model = String(body.model ?? "mock");
  const inputTokens = estimateTokens(prompt);
  const outputTokens =
    estimateTokens(content) +
    (behaviour.reasoning ? estimateTokens(behaviour.reasoning) : 0) +
    toolUses.reduce((sum, tool) => sum + estimateTokens(tool.json), 0);
  const usage = behaviour.omitUsage
    ? {}
    : { usage: { input_tokens: inputTokens, output_tokens: outputTokens } };
  const thinking = behaviour.reasoning
    ? [{ type: "thinking", thinking: behaviour.reasoning, signature: "mock-signature" }]
    : [];
  const textBlocks = content === "" ? [] : [{ type: "text", text: content }];
  if (body.stream !== true) {
    sendJson(response, 200, {
      id: "msg_mock",
      type: "message",
      role: "assistant",
      model,
      content: [...thinking, ...textBlocks, ...toolUses.map(({ json: _json, ...block }) => block)],
      stop_reason: stopReason,
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
  if (content !== "" || toolUses.length === 0) {
    send({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
    send({ type: "ping" });
    for (const piece of chunkText(content)) {
      send({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
    }
    send({ type: "content_block_stop", index });
    index++;
  }
  for (const tool of toolUses) {
    send({
      type: "content_block_start",
      index,
      content_block: { type: "tool_use", id: tool.id, name: tool.name, input: {} },
    });
    for (const piece of chunkText(tool.json, 5)) {
      send({
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: piece },
      });
    }
    send({ type: "content_block_stop", index });
    index++;
  }
  send({
    type: "message_delta",
    delta: { stop_reason: stopReason, stop_sequence: null },
    // Newer API versions repeat the input counts here, as null when unchanged.
    ...(behaviour.omitUsage ? {} : { usage: { input_tokens: null, output_tokens: outputTokens } }),
  });
  if (!shape.truncate) send({ type: "message_stop" });
  response.end();
}
