import { assistantMessageOf } from "../chat/normalize.js";
import { estimatePromptTokens } from "../chat/prompt-tokens.js";
import { IncompleteResponseError, UnsupportedFeatureError } from "../errors/request-errors.js";
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
import { toImageSource } from "./image-source.js";
import { parseSse, sseJson } from "./sse.js";
import { usageOf } from "./usage.js";

/** Path of the Messages API under an Anthropic base URL. */
export const ANTHROPIC_MESSAGES_PATH = "v1/messages";

/** `max_tokens` sent when the request sets no `max_completion_tokens`: the API requires one. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

function imageBlock(image: string) {
  const source = toImageSource(image);
  return {
    type: "image",
    source:
      source.type === "base64"
        ? { type: "base64", media_type: source.mimeType, data: source.data }
        : { type: "url", url: source.url },
  };
}

/**
 * The JSON body of a Messages API call. Images go before the text, as Anthropic advises;
 * `presence_penalty`, `frequency_penalty` and `effort` have no Messages API field and are
 * left out. Unset fields are left out.
 */
export function buildAnthropicBody(
  model: string,
  request: CompletionRequest,
  options: { stream: boolean; defaultMaxTokens?: number },
) {
  if (request.messages !== undefined) {
    throw new UnsupportedFeatureError("messages", "anthropic", "conversations are not mapped yet");
  }
  const images = request.images ?? [];
  const content =
    images.length === 0
      ? request.message
      : [...images.map(imageBlock), { type: "text", text: request.message }];
  return {
    model,
    max_tokens:
      request.max_completion_tokens ?? options.defaultMaxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages: [{ role: "user", content }],
    temperature: request.temperature,
    top_p: request.top_p,
    ...(options.stream ? { stream: true } : {}),
  };
}

interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
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

interface MessagesAnswer {
  content?: { type?: string; text?: string }[];
  usage?: unknown;
}

interface MessagesEvent {
  type?: string;
  message?: { usage?: AnthropicUsage };
  delta?: { type?: string; text?: string };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

/** A Claude model over Anthropic's native Messages API, with SSE streaming. */
export class AnthropicCompletionModel implements CompletionModel {
  readonly kind = "completion";
  readonly name: string;
  readonly provider: Provider;
  readonly #defaultMaxTokens: number | undefined;

  constructor(name: string, provider: Provider, defaultMaxTokens?: number) {
    this.name = name;
    this.provider = provider;
    this.#defaultMaxTokens = defaultMaxTokens;
  }

  async invoke(request: CompletionRequest, options?: CallOptions): Promise<CompletionResponse> {
    const answer = await this.provider.postJson<MessagesAnswer>(
      ANTHROPIC_MESSAGES_PATH,
      buildAnthropicBody(this.name, request, {
        stream: false,
        defaultMaxTokens: this.#defaultMaxTokens,
      }),
      options,
    );
    if (!Array.isArray(answer?.content)) {
      throw new ParseError(`the message of model "${this.name}": no content array`);
    }
    // Thinking and tool blocks are not the answer's text.
    const content = answer.content
      .filter((block) => block?.type === "text" && typeof block.text === "string")
      .map((block) => block.text)
      .join("");
    const usage =
      readAnthropicUsage(answer.usage) ??
      usageOf(estimatePromptTokens(request), countTokens(content));
    return { content, usage, finish_reason: "stop", message: assistantMessageOf(content, []) };
  }

  async *stream(request: CompletionRequest, options?: CallOptions): AsyncIterable<StreamEvent> {
    const response = await this.provider.postStream(
      ANTHROPIC_MESSAGES_PATH,
      buildAnthropicBody(this.name, request, {
        stream: true,
        defaultMaxTokens: this.#defaultMaxTokens,
      }),
      options,
    );
    let text = "";
    // message_start carries the input count, message_delta the cumulative output count (and,
    // in newer API versions, the input count again).
    let usage: AnthropicUsage | undefined;
    let stopped = false;
    for await (const event of parseSse(response.body)) {
      const data = sseJson<MessagesEvent>(event);
      const type = data.type ?? event.event;
      if (type === "error") {
        throw new SseError(
          `${data.error?.type ?? "error"}: ${data.error?.message ?? event.data.slice(0, 200)}`,
        );
      }
      if (type === "message_start") usage = { ...data.message?.usage };
      else if (type === "message_delta") usage = { ...usage, ...data.usage };
      else if (type === "message_stop") {
        stopped = true;
        break;
      } else if (
        type === "content_block_delta" &&
        data.delta?.type === "text_delta" &&
        typeof data.delta.text === "string" &&
        data.delta.text.length > 0
      ) {
        text += data.delta.text;
        yield { type: "delta", text: data.delta.text };
      }
    }
    if (!stopped) {
      throw new IncompleteResponseError(
        `model "${this.name}"`,
        "the stream ended without message_stop",
      );
    }
    yield {
      type: "usage",
      usage: readAnthropicUsage(usage) ?? usageOf(estimatePromptTokens(request), countTokens(text)),
    };
    yield { type: "finish", finish_reason: "stop" };
  }
}
