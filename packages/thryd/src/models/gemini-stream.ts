import { ContentFilteredError, IncompleteResponseError } from "../errors/request-errors.js";
import { SseError } from "../errors/transport-errors.js";
import type { StreamEvent, Usage } from "../types.js";
import { geminiFinishReasonOf, geminiTextOf, geminiToolCallOf } from "./gemini-response.js";
import { type GeminiAnswer, readGeminiUsage } from "./gemini-wire.js";

/**
 * Turns `streamGenerateContent?alt=sse` chunks into our stream events: text parts → `delta`,
 * each `functionCall` part → one whole `tool_call_delta` (Gemini never splits a call's
 * arguments), the running `usageMetadata` → usage. The stream is complete only once a chunk
 * carried a `finishReason`; {@link end} refuses one that never did.
 */
export class GeminiStreamDecoder {
  readonly #what: string;
  readonly #onThoughtSignature: ((toolCallId: string, signature: string) => void) | undefined;
  #finishReason: string | undefined;
  #usage: Usage | undefined;
  #text = "";
  #toolCalls = 0;

  /**
   * @param what names the model in errors, e.g. `model "gemini-x"`
   * @param onThoughtSignature receives the thought signature Gemini attached to a call
   */
  constructor(what: string, onThoughtSignature?: (toolCallId: string, signature: string) => void) {
    this.#what = what;
    this.#onThoughtSignature = onThoughtSignature;
  }

  /**
   * Reads one chunk.
   * @throws {SseError} for an error chunk, with Google's `status` as `errorType`
   * @throws {ContentFilteredError} when the prompt was blocked (`promptFeedback.blockReason`)
   */
  push(chunk: GeminiAnswer): StreamEvent[] {
    if (chunk.error) {
      const status = chunk.error.status ?? "error";
      throw new SseError(`${status}: ${chunk.error.message ?? ""}`, undefined, status);
    }
    const blockReason = chunk.promptFeedback?.blockReason;
    if (blockReason) throw new ContentFilteredError(this.#what, blockReason, this.#text);
    // Every chunk repeats the running usage; the last one is the whole call's.
    this.#usage = readGeminiUsage(chunk.usageMetadata) ?? this.#usage;
    const candidate = chunk.candidates?.[0];
    const events: StreamEvent[] = [];
    const parts = Array.isArray(candidate?.content?.parts) ? candidate.content.parts : [];
    for (const part of parts) {
      if (part?.functionCall) {
        const index = this.#toolCalls++;
        const { call, thoughtSignature } = geminiToolCallOf(part, index, this.#what);
        if (thoughtSignature) this.#onThoughtSignature?.(call.id, thoughtSignature);
        events.push({
          type: "tool_call_delta",
          index,
          id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        });
        continue;
      }
      const text = geminiTextOf([part]);
      if (text !== "") {
        this.#text += text;
        events.push({ type: "delta", text });
      }
    }
    if (candidate?.finishReason) this.#finishReason = candidate.finishReason;
    return events;
  }

  /**
   * The closing events once the stream ended: usage (Google's, else `fallbackUsage` of the
   * text seen), then the finish.
   * @throws {IncompleteResponseError} when no chunk carried a finishReason (a cut stream, or a
   * JSON body where SSE was asked for: `answeredJson`)
   * @throws {ContentFilteredError} for a filter finish reason, with the text streamed before
   */
  end(fallbackUsage: (text: string) => Usage, answeredJson = false): StreamEvent[] {
    if (this.#finishReason === undefined) {
      throw new IncompleteResponseError(
        this.#what,
        answeredJson
          ? "asked for SSE, the answer was a JSON body"
          : "the stream ended without a chunk carrying finishReason",
      );
    }
    const finishReason = geminiFinishReasonOf(
      this.#finishReason,
      this.#toolCalls > 0,
      this.#what,
      this.#text,
    );
    return [
      { type: "usage", usage: this.#usage ?? fallbackUsage(this.#text) },
      { type: "finish", finish_reason: finishReason },
    ];
  }
}
