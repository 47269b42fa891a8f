import { assistantMessageOf } from "../chat/normalize.js";
import { estimatePromptTokens } from "../chat/prompt-tokens.js";
import { ContentFilteredError, IncompleteResponseError } from "../errors/request-errors.js";
import { countTokens } from "../tokens/count-tokens.js";
import type {
  CompletionRequest,
  CompletionResponse,
  FinishReason,
  ToolCall,
  Usage,
} from "../types.js";
import { usageOf } from "./usage.js";

/** Anthropic's usage object; streamed `message_delta` events may carry `null` counts. */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/**
 * Our usage from Anthropic's: cache writes and reads are prompt tokens too (`input_tokens`
 * counts only the uncached rest), so prompt = input + cache_creation + cache_read.
 */
export function readAnthropicUsage(value: unknown): Usage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const usage = value as AnthropicUsage;
  const prompt =
    (Number(usage.input_tokens) || 0) +
    (Number(usage.cache_creation_input_tokens) || 0) +
    (Number(usage.cache_read_input_tokens) || 0);
  return usageOf(prompt, Number(usage.output_tokens) || 0);
}

/**
 * Merges a later usage report into an earlier one, count by count. A count that is `null` or
 * missing in the later report keeps the earlier value: `message_delta` sends
 * `input_tokens: null` in some API versions, which must not erase `message_start`'s count.
 */
export function mergeAnthropicUsage(
  earlier: AnthropicUsage | undefined,
  later: AnthropicUsage | undefined,
): AnthropicUsage | undefined {
  if (!later) return earlier;
  const merged: AnthropicUsage = { ...earlier };
  for (const [key, value] of Object.entries(later) as [keyof AnthropicUsage, unknown][]) {
    if (typeof value === "number" && Number.isFinite(value)) merged[key] = value;
  }
  return merged;
}

/**
 * Our finish reason for a `stop_reason`: `end_turn` / `stop_sequence` → `stop`, `max_tokens` /
 * `model_context_window_exceeded` → `length`, `tool_use` → `tool_calls`, `refusal` →
 * `content_filter`. Anything else (`pause_turn`, `null`) is not a complete answer: `undefined`.
 */
export function mapAnthropicStopReason(reason: unknown): FinishReason | undefined {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return undefined;
  }
}

/**
 * The finish reason of a complete answer.
 * @throws {IncompleteResponseError} when `stop_reason` says the answer is not complete
 * @throws {ContentFilteredError} for `refusal`, with the text produced before it
 */
export function finishReasonOf(stopReason: unknown, what: string, content: string): FinishReason {
  const finishReason = mapAnthropicStopReason(stopReason);
  if (!finishReason) {
    throw new IncompleteResponseError(
      what,
      `stop_reason ${JSON.stringify(stopReason ?? null)} is not a complete answer`,
    );
  }
  if (finishReason === "content_filter") throw new ContentFilteredError(what, "refusal", content);
  return finishReason;
}

/** A Messages API answer. */
export interface AnthropicMessage {
  content?: { type?: string; text?: string; id?: string; name?: string; input?: unknown }[];
  stop_reason?: string | null;
  usage?: unknown;
}

/**
 * Our response from a Messages API answer: text blocks joined as the content, `tool_use`
 * blocks as tool calls (input as JSON text), thinking blocks left out of the answer (given to
 * `onThinking` with the first tool call's id when the answer calls tools).
 * @throws {IncompleteResponseError} without a content array, a stop reason or a tool call id
 * @throws {ContentFilteredError} when the model refused
 */
export function readAnthropicMessage(
  answer: AnthropicMessage | undefined,
  request: CompletionRequest,
  what: string,
  onThinking?: (toolCallId: string, blocks: readonly object[]) => void,
): CompletionResponse {
  if (!Array.isArray(answer?.content)) throw new IncompleteResponseError(what, "no content array");
  let content = "";
  const toolCalls: ToolCall[] = [];
  const thinking: object[] = [];
  answer.content.forEach((block, index) => {
    if (block?.type === "thinking" || block?.type === "redacted_thinking") thinking.push(block);
    if (block?.type === "text" && typeof block.text === "string") content += block.text;
    if (block?.type === "tool_use") {
      if (typeof block.id !== "string" || typeof block.name !== "string") {
        throw new IncompleteResponseError(
          what,
          `content[${index}] is a tool_use without id or name`,
        );
      }
      toolCalls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  });
  const finishReason = finishReasonOf(answer.stop_reason, what, content);
  if (toolCalls[0] && thinking.length > 0) onThinking?.(toolCalls[0].id, thinking);
  const usage =
    readAnthropicUsage(answer.usage) ??
    usageOf(estimatePromptTokens(request), countTokens(content));
  return {
    content,
    usage,
    finish_reason: finishReason,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    message: assistantMessageOf(content, toolCalls),
  };
}
