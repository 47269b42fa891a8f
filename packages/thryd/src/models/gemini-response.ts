import { createHash } from "node:crypto";
import { assistantMessageOf } from "../chat/normalize.js";
import { estimatePromptTokens } from "../chat/prompt-tokens.js";
import { ContentFilteredError, IncompleteResponseError } from "../errors/request-errors.js";
import { countTokens } from "../tokens/count-tokens.js";
import type { CompletionRequest, CompletionResponse, FinishReason, ToolCall } from "../types.js";
import { type GeminiAnswer, type GeminiAnswerPart, readGeminiUsage } from "./gemini-wire.js";
import { usageOf } from "./usage.js";

/** Finish reasons that mean Gemini withheld content: a `ContentFilteredError` with the reason. */
export const GEMINI_FILTER_REASONS: ReadonlySet<string> = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
]);

/**
 * Our finish reason for a Gemini `finishReason`: `STOP` → `stop` (`tool_calls` when the answer
 * calls functions), `MAX_TOKENS` → `length`, a filter reason → `content_filter`. Anything else
 * (`MALFORMED_FUNCTION_CALL`, `OTHER`, a missing reason…) is not a complete answer: `undefined`.
 */
export function mapGeminiFinishReason(
  reason: unknown,
  hasToolCalls: boolean,
): FinishReason | undefined {
  if (reason === "STOP") return hasToolCalls ? "tool_calls" : "stop";
  if (reason === "MAX_TOKENS") return "length";
  if (typeof reason === "string" && GEMINI_FILTER_REASONS.has(reason)) return "content_filter";
  return undefined;
}

/**
 * The finish reason of a complete answer.
 * @throws {ContentFilteredError} for a filter reason, carrying it and the text before it
 * @throws {IncompleteResponseError} for a reason that is no complete answer, or none
 */
export function geminiFinishReasonOf(
  reason: unknown,
  hasToolCalls: boolean,
  what: string,
  content: string,
): FinishReason {
  const finishReason = mapGeminiFinishReason(reason, hasToolCalls);
  if (finishReason === "content_filter") {
    throw new ContentFilteredError(what, String(reason), content);
  }
  if (!finishReason) {
    throw new IncompleteResponseError(
      what,
      reason === undefined
        ? "no finishReason"
        : `finishReason ${JSON.stringify(reason)} is not a complete answer`,
    );
  }
  return finishReason;
}

/**
 * The id of a function call Gemini sent without one: `call_` and 16 hex digits of a hash of
 * its position, name and arguments, so the same answer always gets the same ids (a cached or
 * replayed answer stays consistent with the tool messages that answer it).
 */
export function geminiToolCallId(index: number, name: string, argumentsJson: string): string {
  const digest = createHash("sha256").update(`${index}\u0000${name}\u0000${argumentsJson}`);
  return `call_${digest.digest("hex").slice(0, 16)}`;
}

/** A function call part as our tool call, with the thought signature Gemini attached to it. */
export function geminiToolCallOf(
  part: GeminiAnswerPart,
  index: number,
  what: string,
): { call: ToolCall; thoughtSignature: string | undefined } {
  const functionCall = part.functionCall;
  if (typeof functionCall?.name !== "string" || functionCall.name === "") {
    throw new IncompleteResponseError(what, `function call ${index} has no name`);
  }
  const argumentsJson = JSON.stringify(functionCall.args ?? {});
  const id =
    typeof functionCall.id === "string" && functionCall.id !== ""
      ? functionCall.id
      : geminiToolCallId(index, functionCall.name, argumentsJson);
  return {
    call: { id, type: "function", function: { name: functionCall.name, arguments: argumentsJson } },
    thoughtSignature: part.thoughtSignature,
  };
}

/** The visible text of answer parts: text parts joined, thought summaries left out. */
export function geminiTextOf(parts: readonly GeminiAnswerPart[]): string {
  let text = "";
  for (const part of parts) {
    if (part?.thought !== true && typeof part?.text === "string") text += part.text;
  }
  return text;
}

/**
 * Our response from a `generateContent` answer (its first candidate).
 * @throws {ContentFilteredError} when the prompt was blocked or the answer filtered
 * @throws {IncompleteResponseError} without a candidate or a complete finish reason
 */
export function readGeminiAnswer(
  answer: GeminiAnswer | undefined,
  request: CompletionRequest,
  what: string,
  onThoughtSignature?: (toolCallId: string, signature: string) => void,
): CompletionResponse {
  const blockReason = answer?.promptFeedback?.blockReason;
  if (blockReason) throw new ContentFilteredError(what, blockReason);
  const candidate = answer?.candidates?.[0];
  if (!candidate) throw new IncompleteResponseError(what, "no candidates");
  const parts = Array.isArray(candidate.content?.parts) ? candidate.content.parts : [];
  const content = geminiTextOf(parts);
  const toolCalls: ToolCall[] = [];
  for (const part of parts) {
    if (!part?.functionCall) continue;
    const { call, thoughtSignature } = geminiToolCallOf(part, toolCalls.length, what);
    toolCalls.push(call);
    if (thoughtSignature) onThoughtSignature?.(call.id, thoughtSignature);
  }
  const finishReason = geminiFinishReasonOf(
    candidate.finishReason,
    toolCalls.length > 0,
    what,
    content,
  );
  const usage =
    readGeminiUsage(answer.usageMetadata) ??
    usageOf(estimatePromptTokens(request), countTokens(content));
  return {
    content,
    usage,
    finish_reason: finishReason,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    message: assistantMessageOf(content, toolCalls),
  };
}
