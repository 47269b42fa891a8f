import { assistantMessageOf, chatMessagesOf } from "../chat/normalize.js";
import { estimatePromptTokens } from "../chat/prompt-tokens.js";
import { ContentFilteredError, IncompleteResponseError } from "../errors/request-errors.js";
import { countTokens } from "../tokens/count-tokens.js";
import type { CompletionRequest, CompletionResponse, FinishReason, ToolCall } from "../types.js";
import { readUsage, usageOf } from "./usage.js";

/**
 * The JSON body of a `chat/completions` call for `request`: the conversation and every field
 * in OpenAI's own names. Unset fields are left out (JSON drops `undefined`).
 */
export function buildChatBody(model: string, request: CompletionRequest, stream: boolean) {
  return {
    model,
    messages: chatMessagesOf(request),
    temperature: request.temperature,
    top_p: request.top_p,
    max_completion_tokens: request.max_completion_tokens,
    presence_penalty: request.presence_penalty,
    frequency_penalty: request.frequency_penalty,
    reasoning_effort: request.effort,
    // An empty list means no tools; OpenAI rejects `tools: []`.
    tools: request.tools?.length ? request.tools : undefined,
    tool_choice: request.tool_choice,
    parallel_tool_calls: request.parallel_tool_calls,
    response_format: request.response_format,
    stop: request.stop,
    seed: request.seed,
    user: request.user,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

/** OpenAI finish reasons, with the legacy `function_call` read as `tool_calls`. */
export function mapOpenAIFinishReason(reason: unknown): FinishReason | undefined {
  switch (reason) {
    case "stop":
    case "length":
    case "tool_calls":
    case "content_filter":
      return reason;
    case "function_call":
      return "tool_calls";
    default:
      return undefined;
  }
}

interface WireToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

/** One `chat.completion` answer. */
export interface ChatAnswer {
  choices?: {
    message?: { content?: string | null; tool_calls?: WireToolCall[]; refusal?: string | null };
    finish_reason?: string | null;
  }[];
  usage?: unknown;
}

/**
 * Our response from a `chat.completion` answer.
 * @throws {IncompleteResponseError} without choices, a message or a known finish reason
 * @throws {ContentFilteredError} when the provider filtered the answer or the model refused
 */
export function readChatAnswer(
  answer: ChatAnswer | undefined,
  request: CompletionRequest,
  what: string,
): CompletionResponse {
  const choice = answer?.choices?.[0];
  if (!choice?.message) throw new IncompleteResponseError(what, "no choices[0].message");
  const finishReason = mapOpenAIFinishReason(choice.finish_reason);
  if (!finishReason) {
    throw new IncompleteResponseError(
      what,
      `finish_reason ${JSON.stringify(choice.finish_reason ?? null)} is not a complete answer`,
    );
  }
  const content = typeof choice.message.content === "string" ? choice.message.content : "";
  if (finishReason === "content_filter") {
    throw new ContentFilteredError(what, "content_filter", content);
  }
  // A structured-output refusal: no answer text, the model's reason in `refusal`.
  const refusal = choice.message.refusal;
  if (typeof refusal === "string" && refusal !== "" && content === "") {
    throw new ContentFilteredError(what, "refusal", refusal);
  }
  const toolCalls: ToolCall[] = (choice.message.tool_calls ?? []).map((call, index) => {
    if (typeof call?.id !== "string" || typeof call.function?.name !== "string") {
      throw new IncompleteResponseError(what, `tool_calls[${index}] has no id or function name`);
    }
    return {
      id: call.id,
      type: "function",
      function: { name: call.function.name, arguments: call.function.arguments ?? "" },
    };
  });
  if (
    choice.message.content !== null &&
    typeof choice.message.content !== "string" &&
    toolCalls.length === 0
  ) {
    throw new IncompleteResponseError(
      what,
      "choices[0].message has neither content nor tool_calls",
    );
  }
  const usage =
    readUsage(answer?.usage) ?? usageOf(estimatePromptTokens(request), countTokens(content));
  return {
    content,
    usage,
    finish_reason: finishReason,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    message: assistantMessageOf(content, toolCalls),
  };
}
