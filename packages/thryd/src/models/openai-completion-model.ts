import { estimatePromptTokens } from "../chat/prompt-tokens.js";
import { ContentFilteredError, IncompleteResponseError } from "../errors/request-errors.js";
import { SseError } from "../errors/transport-errors.js";
import { countTokens } from "../tokens/count-tokens.js";
import type {
  CallOptions,
  CompletionModel,
  CompletionRequest,
  CompletionResponse,
  FinishReason,
  Provider,
  StreamEvent,
  StreamingResponse,
  Usage,
} from "../types.js";
import {
  buildChatBody,
  type ChatAnswer,
  mapOpenAIFinishReason,
  readChatAnswer,
} from "./openai-chat-wire.js";
import { parseSse, sseJson } from "./sse.js";
import { readUsage, usageOf } from "./usage.js";

/** Path of the chat completions endpoint under a provider's base URL. */
export const CHAT_COMPLETIONS_PATH = "chat/completions";

interface ChatChunk {
  choices?: {
    delta?: {
      content?: string | null;
      refusal?: string | null;
      tool_calls?: {
        index?: number;
        id?: string;
        function?: { name?: string; arguments?: string };
      }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: unknown;
  error?: { message?: string; type?: string };
}

// Names what the body was when the server answered a stream request with something else (an
// HTML page, a JSON error object): the body itself is not quoted, as it may echo credentials.
function notAnEventStream(headers: StreamingResponse["headers"]): string {
  const value = headers["content-type"];
  const type = (Array.isArray(value) ? value[0] : value)?.split(";")[0]?.trim();
  return type && type !== "text/event-stream" ? ` (the body was ${type}, not an event stream)` : "";
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
    return readChatAnswer(answer, request, `model "${this.name}"`);
  }

  // The stream is complete only with a finish reason and `data: [DONE]`; anything that ends
  // sooner (a cut connection, an HTML page, an error object) is an IncompleteResponseError.
  async *stream(request: CompletionRequest, options?: CallOptions): AsyncIterable<StreamEvent> {
    const what = `model "${this.name}"`;
    const response = await this.provider.postStream(
      CHAT_COMPLETIONS_PATH,
      buildChatBody(this.name, request, true),
      options,
    );
    let text = "";
    let refusal = "";
    let usage: Usage | undefined;
    let finishReason: FinishReason | undefined;
    let done = false;
    for await (const event of parseSse(response.body)) {
      if (event.data === "[DONE]") {
        done = true;
        break;
      }
      const chunk = sseJson<ChatChunk>(event);
      if (chunk.error || event.event === "error") {
        throw new SseError(chunk.error?.message ?? event.data.slice(0, 200));
      }
      usage = readUsage(chunk.usage) ?? usage;
      const choice = chunk.choices?.[0];
      // Role-only first chunks and usage-only last chunks carry no content.
      const delta = choice?.delta?.content;
      if (typeof delta === "string" && delta.length > 0) {
        text += delta;
        yield { type: "delta", text: delta };
      }
      if (typeof choice?.delta?.refusal === "string") refusal += choice.delta.refusal;
      for (const call of choice?.delta?.tool_calls ?? []) {
        yield {
          type: "tool_call_delta",
          index: call.index ?? 0,
          ...(call.id ? { id: call.id } : {}),
          ...(call.function?.name ? { name: call.function.name } : {}),
          arguments: call.function?.arguments ?? "",
        };
      }
      if (choice?.finish_reason) {
        finishReason = mapOpenAIFinishReason(choice.finish_reason);
        if (!finishReason) {
          throw new IncompleteResponseError(
            what,
            `unknown finish_reason "${choice.finish_reason}"`,
          );
        }
      }
    }
    if (!done) {
      throw new IncompleteResponseError(
        what,
        `the stream ended without data: [DONE]${notAnEventStream(response.headers)}`,
      );
    }
    if (!finishReason) {
      throw new IncompleteResponseError(what, "the stream ended without a finish_reason");
    }
    if (finishReason === "content_filter") {
      throw new ContentFilteredError(what, "content_filter", text);
    }
    if (refusal !== "" && text === "") throw new ContentFilteredError(what, "refusal", refusal);
    yield {
      type: "usage",
      usage: usage ?? usageOf(estimatePromptTokens(request), countTokens(text)),
    };
    yield { type: "finish", finish_reason: finishReason };
  }
}
