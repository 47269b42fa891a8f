import type { CompletionParameters, MessagesCompletionRequest } from "@fabricatio/thryd";
import { GatewayRequestError } from "../errors/request-errors.js";

/** A chat completion request as the gateway routes it. */
export interface ParsedChatRequest {
  /** The routing group, from `model`. */
  group: string;
  /** The request handed to the router (thryd validates the messages, tools and ranges). */
  request: MessagesCompletionRequest;
  /** Whether the answer is streamed as SSE. */
  stream: boolean;
  /** `stream_options.include_usage`: a last chunk with the usage. */
  includeUsage: boolean;
}

type Json = Record<string, unknown>;

// Fields mapped onto the router's request: the value is the router's name for it.
const PASSED: Readonly<Record<string, keyof CompletionParameters>> = {
  temperature: "temperature",
  top_p: "top_p",
  max_completion_tokens: "max_completion_tokens",
  presence_penalty: "presence_penalty",
  frequency_penalty: "frequency_penalty",
  reasoning_effort: "effort",
  tools: "tools",
  tool_choice: "tool_choice",
  parallel_tool_calls: "parallel_tool_calls",
  response_format: "response_format",
  stop: "stop",
  seed: "seed",
  user: "user",
};

const NUMBERS = new Set(["temperature", "top_p", "presence_penalty", "frequency_penalty"]);
const INTEGERS = new Set(["max_completion_tokens", "max_tokens", "seed"]);

// OpenAI fields the router cannot honour: refused by name rather than dropped, unless they hold
// the value that means "off".
const UNSUPPORTED: Readonly<Record<string, (value: unknown) => boolean>> = {
  n: (value) => value === 1,
  logprobs: (value) => value === false,
  top_logprobs: (value) => value === 0,
  logit_bias: (value) => typeof value === "object" && Object.keys(value as Json).length === 0,
  modalities: (value) => Array.isArray(value) && value.length === 1 && value[0] === "text",
  store: (value) => value === false,
  service_tier: (value) => value === "auto" || value === "default",
  audio: () => false,
  prediction: () => false,
  functions: () => false,
  function_call: () => false,
  web_search_options: () => false,
};

// Accepted and not forwarded: they change nothing in the answer.
const IGNORED = new Set([
  "metadata",
  "stream",
  "stream_options",
  "model",
  "messages",
  "max_tokens",
]);

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkType(field: string, value: unknown): void {
  if (NUMBERS.has(field) && typeof value !== "number") {
    throw new GatewayRequestError(field, `must be a number, got ${JSON.stringify(value)}`);
  }
  if (INTEGERS.has(field) && !Number.isInteger(value)) {
    throw new GatewayRequestError(field, `must be an integer, got ${JSON.stringify(value)}`);
  }
  if ((field === "user" || field === "reasoning_effort") && typeof value !== "string") {
    throw new GatewayRequestError(field, "must be a string");
  }
  if (field === "parallel_tool_calls" && typeof value !== "boolean") {
    throw new GatewayRequestError(field, "must be a boolean");
  }
}

/**
 * Reads an OpenAI `POST /v1/chat/completions` body: `model` names the routing group; messages,
 * tools, tool_choice, parallel_tool_calls, response_format, stop, seed, user, sampling fields,
 * `max_tokens` / `max_completion_tokens` and `reasoning_effort` go to the router; `stream` and
 * `stream_options.include_usage` shape the answer. A field the router cannot honour (`n` above
 * 1, `logprobs`, `audio`, …) or does not know is refused, never dropped. `null` means unset.
 * @throws {GatewayRequestError} naming the field
 */
export function parseChatRequest(body: unknown): ParsedChatRequest {
  if (!isObject(body)) throw new GatewayRequestError(undefined, "the body must be a JSON object");
  const group = body.model;
  if (typeof group !== "string" || group.length === 0) {
    throw new GatewayRequestError("model", "must name a routing group (a non-empty string)");
  }
  if (!Array.isArray(body.messages)) {
    throw new GatewayRequestError("messages", "must be an array of messages");
  }
  const request: Json = { messages: body.messages };
  for (const field in body) {
    const value = body[field];
    if (value === null || value === undefined) continue;
    const target = PASSED[field];
    if (target) {
      checkType(field, value);
      request[target] = value;
      continue;
    }
    if (IGNORED.has(field)) continue;
    const accepts = UNSUPPORTED[field];
    if (accepts) {
      if (!accepts(value)) {
        throw new GatewayRequestError(
          field,
          `${JSON.stringify(value)} is not supported by this gateway`,
        );
      }
      continue;
    }
    throw new GatewayRequestError(field, "Unrecognized request argument supplied");
  }
  const maxTokens = body.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null) {
    checkType("max_tokens", maxTokens);
    if (
      request.max_completion_tokens !== undefined &&
      request.max_completion_tokens !== maxTokens
    ) {
      throw new GatewayRequestError(
        "max_tokens",
        "conflicts with max_completion_tokens; send one of them",
      );
    }
    request.max_completion_tokens = maxTokens;
  }
  const stream = body.stream ?? false;
  if (typeof stream !== "boolean") throw new GatewayRequestError("stream", "must be a boolean");
  let includeUsage = false;
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null) {
    if (!stream) {
      throw new GatewayRequestError("stream_options", "is only allowed when stream is true");
    }
    if (!isObject(streamOptions)) {
      throw new GatewayRequestError("stream_options", "must be an object");
    }
    for (const option in streamOptions) {
      if (option !== "include_usage") {
        throw new GatewayRequestError(`stream_options.${option}`, "is not supported");
      }
    }
    const include = streamOptions.include_usage ?? false;
    if (typeof include !== "boolean") {
      throw new GatewayRequestError("stream_options.include_usage", "must be a boolean");
    }
    includeUsage = include;
  }
  return {
    group,
    request: request as unknown as MessagesCompletionRequest,
    stream,
    includeUsage,
  };
}
