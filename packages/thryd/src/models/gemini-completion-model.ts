import { assistantMessageOf } from "../chat/normalize.js";
import { estimatePromptTokens } from "../chat/prompt-tokens.js";
import { ParseError, SseError } from "../errors/transport-errors.js";
import { countTokens } from "../tokens/count-tokens.js";
import type {
  CallOptions,
  CompletionModel,
  CompletionRequest,
  CompletionResponse,
  Provider,
  StreamEvent,
  Usage,
} from "../types.js";
import {
  buildGeminiBody,
  type GeminiAnswer,
  geminiModelPath,
  geminiText,
  readGeminiUsage,
} from "./gemini-wire.js";
import { parseSse, sseJson } from "./sse.js";
import { usageOf } from "./usage.js";

/** A Gemini model over Google's native `generateContent` API, with SSE streaming. */
export class GeminiCompletionModel implements CompletionModel {
  readonly kind = "completion";
  readonly name: string;
  readonly provider: Provider;
  readonly #path: string;
  readonly #streamPath: string;

  constructor(name: string, provider: Provider) {
    this.name = name;
    this.provider = provider;
    this.#path = geminiModelPath(name, "generateContent");
    this.#streamPath = `${geminiModelPath(name, "streamGenerateContent")}?alt=sse`;
  }

  async invoke(request: CompletionRequest, options?: CallOptions): Promise<CompletionResponse> {
    const answer = await this.provider.postJson<GeminiAnswer>(
      this.#path,
      buildGeminiBody(request),
      options,
    );
    const content = answer ? geminiText(answer) : undefined;
    if (content === undefined) {
      const reason =
        answer?.promptFeedback?.blockReason ?? answer?.candidates?.[0]?.finishReason ?? "none";
      throw new ParseError(`the answer of model "${this.name}": no candidate text (${reason})`);
    }
    const usage =
      readGeminiUsage(answer.usageMetadata) ??
      usageOf(estimatePromptTokens(request), countTokens(content));
    return { content, usage, finish_reason: "stop", message: assistantMessageOf(content, []) };
  }

  async *stream(request: CompletionRequest, options?: CallOptions): AsyncIterable<StreamEvent> {
    const response = await this.provider.postStream(
      this.#streamPath,
      buildGeminiBody(request),
      options,
    );
    let text = "";
    let usage: Usage | undefined;
    for await (const event of parseSse(response.body)) {
      const chunk = sseJson<GeminiAnswer>(event);
      if (chunk.error) {
        throw new SseError(`${chunk.error.status ?? "error"}: ${chunk.error.message ?? ""}`);
      }
      // Every chunk repeats the running usage; the last one is the whole call's.
      usage = readGeminiUsage(chunk.usageMetadata) ?? usage;
      const delta = geminiText(chunk);
      if (delta) {
        text += delta;
        yield { type: "delta", text: delta };
      }
    }
    yield {
      type: "usage",
      usage: usage ?? usageOf(estimatePromptTokens(request), countTokens(text)),
    };
    yield { type: "finish", finish_reason: "stop" };
  }
}
