import type { Usage } from "../types.js";
import { usageOf } from "./usage.js";

export { buildGeminiBody } from "./gemini-request.js";

/** Path of a Gemini model method under the base URL, e.g. `v1beta/models/m:generateContent`. */
export function geminiModelPath(model: string, method: string): string {
  // Accept both `gemini-2.5-flash` and the API's own `models/gemini-2.5-flash`.
  return `v1beta/models/${model.replace(/^models\//, "")}:${method}`;
}

/** One part of a Gemini answer, as far as thryd reads it. */
export interface GeminiAnswerPart {
  text?: string;
  thought?: boolean;
  functionCall?: { id?: string; name?: string; args?: unknown };
  thoughtSignature?: string;
}

/** One `GenerateContentResponse`, whole or as one streamed chunk. */
export interface GeminiAnswer {
  candidates?: {
    content?: { parts?: GeminiAnswerPart[] };
    finishReason?: string;
  }[];
  usageMetadata?: unknown;
  promptFeedback?: { blockReason?: string };
  error?: { code?: number; message?: string; status?: string };
}

/**
 * Our usage from `usageMetadata`. Thinking tokens are billed as output, so completion =
 * candidatesTokenCount + thoughtsTokenCount; the total is Google's `totalTokenCount`.
 */
export function readGeminiUsage(value: unknown): Usage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const metadata = value as Record<string, unknown>;
  const prompt = Number(metadata.promptTokenCount) || 0;
  const completion =
    (Number(metadata.candidatesTokenCount) || 0) + (Number(metadata.thoughtsTokenCount) || 0);
  const usage = usageOf(prompt, completion);
  const total = Number(metadata.totalTokenCount);
  return Number.isFinite(total) && total > 0 ? { ...usage, total_tokens: total } : usage;
}
