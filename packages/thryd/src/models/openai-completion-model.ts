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
import { parseSse, sseJson } from "./sse.js";
import { readUsage, usageOf } from "./usage.js";

/** Path of the chat completions endpoint under a provider's base URL. */
export const CHAT_COMPLETIONS_PATH = "chat/completions";

/** The JSON body of a `chat/completions` call for `request`. Unset fields are left out. */
export function buildChatBody(model: string, request: CompletionRequest, stream: boolean) {
  const images = request.images ?? [];
  const content =
    images.length === 0
      ? request.message
      : [
          { type: "text", text: request.message },
          ...images.map((url) => ({ type: "image_url", image_url: { url } })),
        ];
  return {
    model,
    messages: [{ role: "user", content }],
    temperature: request.temperature,
    top_p: request.top_p,
    max_completion_tokens: request.max_completion_tokens,
    presence_penalty: request.presence_penalty,
    frequency_penalty: request.frequency_penalty,
    reasoning_effort: request.effort,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

interface ChatAnswer {
  choices?: { message?: { content?: string | null } }[];
  usage?: unknown;
}

interface ChatChunk {
  choices?: { delta?: { content?: string | null } }[];
  usage?: unknown;
  error?: { message?: string };
}

/** A chat completion model of an OpenAI-compatible provider, with SSE streaming. */
export class OpenAICompletionModel implements CompletionModel {
  readonly kind = "completion";
  readonly name: string;
  readonly provider: Provider;

  constructor(name: string, provider: Provider) {
    this.name = name;
    this.provider = provider;
  }

  async invoke(request: CompletionRequest, options?: CallOptions): Promise<CompletionResponse> {
    const answer = await this.provider.postJson<ChatAnswer>(
      CHAT_COMPLETIONS_PATH,
      buildChatBody(this.name, request, false),
      options,
    );
    const content = answer?.choices?.[0]?.message?.content;
    if (typeof content !== "string") {
      throw new ParseError(`the completion of model "${this.name}": no choices[0].message.content`);
    }
    const usage =
      readUsage(answer.usage) ?? usageOf(countTokens(request.message), countTokens(content));
    return { content, usage };
  }

  async *stream(request: CompletionRequest, options?: CallOptions): AsyncIterable<StreamEvent> {
    const response = await this.provider.postStream(
      CHAT_COMPLETIONS_PATH,
      buildChatBody(this.name, request, true),
      options,
    );
    let text = "";
    let usage: Usage | undefined;
    for await (const event of parseSse(response.body)) {
      if (event.data === "[DONE]") break;
      const chunk = sseJson<ChatChunk>(event);
      if (chunk.error || event.event === "error") {
        throw new SseError(chunk.error?.message ?? event.data.slice(0, 200));
      }
      usage = readUsage(chunk.usage) ?? usage;
      // Role-only first chunks and usage-only last chunks carry no content.
      const delta = chunk.choices?.[0]?.delta?.content;
      if (typeof delta === "string" && delta.length > 0) {
        text += delta;
        yield { type: "delta", text: delta };
      }
    }
    yield {
      type: "usage",
      usage: usage ?? usageOf(countTokens(request.message), countTokens(text)),
    };
  }
}
