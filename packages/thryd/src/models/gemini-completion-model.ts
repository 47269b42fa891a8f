import { LRUCache } from "lru-cache";
import { estimatePromptTokens } from "../chat/prompt-tokens.js";
import { countTokens } from "../tokens/count-tokens.js";
import type {
  CallOptions,
  CompletionModel,
  CompletionRequest,
  CompletionResponse,
  Provider,
  StreamEvent,
} from "../types.js";
import { buildGeminiBody } from "./gemini-request.js";
import { readGeminiAnswer } from "./gemini-response.js";
import { GeminiStreamDecoder } from "./gemini-stream.js";
import { type GeminiAnswer, geminiModelPath } from "./gemini-wire.js";
import { parseSse, sseJson } from "./sse.js";
import { usageOf } from "./usage.js";

/** Thought signatures kept per model, most recent first, to send back with their calls. */
const MAX_THOUGHT_SIGNATURES = 1000;

/**
 * A Gemini model over Google's native `generateContent` API, with SSE streaming. The request is
 * converted (and checked) before anything is sent: a field the API cannot carry fails with
 * `UnsupportedFeatureError` and no request leaves the process.
 *
 * Gemini attaches a thought signature to function calls of thinking models and wants it back
 * with the call in the next turn. Our assistant messages have no field for it, so the model
 * remembers the last 1,000 by tool call id, in memory, and sends each back with its call.
 */
export class GeminiCompletionModel implements CompletionModel {
  readonly kind = "completion";
  readonly name: string;
  readonly provider: Provider;
  readonly #path: string;
  readonly #streamPath: string;
  readonly #thoughtSignatures = new LRUCache<string, string>({ max: MAX_THOUGHT_SIGNATURES });
  readonly #remember = (toolCallId: string, signature: string) => {
    this.#thoughtSignatures.set(toolCallId, signature);
  };

  constructor(name: string, provider: Provider) {
    this.name = name;
    this.provider = provider;
    this.#path = geminiModelPath(name, "generateContent");
    this.#streamPath = `${geminiModelPath(name, "streamGenerateContent")}?alt=sse`;
  }

  #body(request: CompletionRequest) {
    return buildGeminiBody(request, {
      thoughtSignatureOf: (toolCallId) => this.#thoughtSignatures.get(toolCallId),
    });
  }

  async invoke(request: CompletionRequest, options?: CallOptions): Promise<CompletionResponse> {
    const body = this.#body(request);
    const answer = await this.provider.postJson<GeminiAnswer>(this.#path, body, options);
    return readGeminiAnswer(answer, request, `model "${this.name}"`, this.#remember);
  }

  async *stream(request: CompletionRequest, options?: CallOptions): AsyncIterable<StreamEvent> {
    const body = this.#body(request);
    const response = await this.provider.postStream(this.#streamPath, body, options);
    const decoder = new GeminiStreamDecoder(`model "${this.name}"`, this.#remember);
    for await (const event of parseSse(response.body)) {
      yield* decoder.push(sseJson<GeminiAnswer>(event));
    }
    // A JSON body (e.g. the whole answer as an array) holds no SSE events at all.
    const contentType = String(response.headers["content-type"] ?? "");
    yield* decoder.end(
      (text) => usageOf(estimatePromptTokens(request), countTokens(text)),
      contentType.includes("json"),
    );
  }
}
