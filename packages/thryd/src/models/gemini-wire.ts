import { UnsupportedFeatureError } from "../errors/request-errors.js";
import type { CompletionRequest, Usage } from "../types.js";
import { toImageSource } from "./image-source.js";
import { usageOf } from "./usage.js";

/** Path of a Gemini model method under the base URL, e.g. `v1beta/models/m:generateContent`. */
export function geminiModelPath(model: string, method: string): string {
  // Accept both `gemini-2.5-flash` and the API's own `models/gemini-2.5-flash`.
  return `v1beta/models/${model.replace(/^models\//, "")}:${method}`;
}

function imagePart(image: string) {
  const source = toImageSource(image);
  return source.type === "base64"
    ? { inline_data: { mime_type: source.mimeType, data: source.data } }
    : { file_data: { mime_type: source.mimeType, file_uri: source.url } };
}

/**
 * The JSON body of a `generateContent` call. Images go before the text, as Google advises;
 * `effort` is not sent (thinking budgets differ per Gemini generation). `generationConfig` is
 * left out when no field is set.
 */
export function buildGeminiBody(request: CompletionRequest) {
  if (request.messages !== undefined) {
    throw new UnsupportedFeatureError("messages", "gemini", "conversations are not mapped yet");
  }
  const images = request.images ?? [];
  const generationConfig = {
    temperature: request.temperature,
    topP: request.top_p,
    maxOutputTokens: request.max_completion_tokens,
    presencePenalty: request.presence_penalty,
    frequencyPenalty: request.frequency_penalty,
  };
  const hasConfig = Object.values(generationConfig).some((value) => value !== undefined);
  return {
    contents: [{ role: "user", parts: [...images.map(imagePart), { text: request.message }] }],
    ...(hasConfig ? { generationConfig } : {}),
  };
}

/** One `GenerateContentResponse`, whole or as one streamed chunk. */
export interface GeminiAnswer {
  candidates?: {
    content?: { parts?: { text?: string; thought?: boolean }[] };
    finishReason?: string;
  }[];
  usageMetadata?: unknown;
  promptFeedback?: { blockReason?: string };
  error?: { code?: number; message?: string; status?: string };
}

/** The answer text of the first candidate: its text parts, thought summaries left out. */
export function geminiText(answer: GeminiAnswer): string | undefined {
  const parts = answer.candidates?.[0]?.content?.parts;
  if (!Array.isArray(parts)) return undefined;
  return parts
    .filter((part) => part?.thought !== true && typeof part?.text === "string")
    .map((part) => part.text)
    .join("");
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
