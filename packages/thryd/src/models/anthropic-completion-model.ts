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
import { type AnthropicBodyOptions, buildAnthropicBody } from "./anthropic-request.js";
import { type AnthropicMessage, readAnthropicMessage } from "./anthropic-response.js";
import { AnthropicStreamDecoder, type AnthropicStreamEvent } from "./anthropic-stream.js";
import { parseSse, sseJson } from "./sse.js";
import { usageOf } from "./usage.js";

export { ANTHROPIC_DEFAULT_MAX_TOKENS, buildAnthropicBody } from "./anthropic-request.js";
export { readAnthropicUsage } from "./anthropic-response.js";

/** Path of the Messages API under an Anthropic base URL. */
export const ANTHROPIC_MESSAGES_PATH = "v1/messages";

/** Tool-calling turns whose thinking blocks a model keeps, most recent first. */
const MAX_THINKING_TURNS = 1000;

/**
 * A Claude model over Anthropic's native Messages API, with SSE streaming. The request is
 * converted (and checked) before anything is sent: a field the API cannot carry fails with
 * `UnsupportedFeatureError` and no request leaves the process.
 *
 * With extended thinking, the API wants the thinking blocks of a turn that called tools sent
 * back before its `tool_use` blocks. Our assistant messages have no field for them, so the model
 * remembers them for the last 1,000 such turns, in memory, by the turn's first tool call id.
 */
export class AnthropicCompletionModel implements CompletionModel {
  readonly kind = "completion";
  readonly name: string;
  readonly provider: Provider;
  readonly #options: AnthropicBodyOptions;
  readonly #thinking = new LRUCache<string, readonly object[]>({ max: MAX_THINKING_TURNS });
  readonly #remember = (toolCallId: string, blocks: readonly object[]) => {
    this.#thinking.set(toolCallId, blocks);
  };

  /**
   * @param defaultMaxTokens `max_tokens` when a request sets none (@default 4096)
   * @param apiVersion the `anthropic-version` the provider sends, which decides the sampling
   * fields allowed (@default ANTHROPIC_API_VERSION)
   */
  constructor(name: string, provider: Provider, defaultMaxTokens?: number, apiVersion?: string) {
    this.name = name;
    this.provider = provider;
    this.#options = {
      stream: false,
      defaultMaxTokens,
      apiVersion,
      thinkingBlocksOf: (toolCallId) => this.#thinking.get(toolCallId),
    };
  }

  async invoke(request: CompletionRequest, options?: CallOptions): Promise<CompletionResponse> {
    const body = buildAnthropicBody(this.name, request, { ...this.#options, stream: false });
    const answer = await this.provider.postJson<AnthropicMessage>(
      ANTHROPIC_MESSAGES_PATH,
      body,
      options,
    );
    return readAnthropicMessage(answer, request, `model "${this.name}"`, this.#remember);
  }

  async *stream(request: CompletionRequest, options?: CallOptions): AsyncIterable<StreamEvent> {
    const body = buildAnthropicBody(this.name, request, { ...this.#options, stream: true });
    const response = await this.provider.postStream(ANTHROPIC_MESSAGES_PATH, body, options);
    const decoder = new AnthropicStreamDecoder(`model "${this.name}"`, this.#remember);
    for await (const event of parseSse(response.body)) {
      yield* decoder.push(sseJson<AnthropicStreamEvent>(event), event.event);
      if (decoder.isStopped) break;
    }
    yield* decoder.end((text) => usageOf(estimatePromptTokens(request), countTokens(text)));
  }
}
