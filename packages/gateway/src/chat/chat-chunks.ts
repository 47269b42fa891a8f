import type { CompletionStreamEvent, Usage } from "@fabricatio/thryd";
import { openAIUsage } from "./chat-completion.js";

/**
 * Turns the router's stream events into OpenAI `chat.completion.chunk` SSE frames: a first
 * chunk with the role, text deltas, tool-call deltas (`id`, `type` and `name` on a call's first
 * fragment), a chunk with the finish reason, with `include_usage` a last chunk with empty
 * `choices` and the usage (and `usage: null` on every other chunk, as OpenAI sends it), then
 * `data: [DONE]`.
 */
export class ChatChunkWriter {
  readonly #prefix: string;
  readonly #usageField: string;
  readonly #includeUsage: boolean;

  constructor(meta: { id: string; created: number; model: string; includeUsage: boolean }) {
    // The fixed head of every chunk, serialised once per stream.
    this.#prefix = `data: {"id":${JSON.stringify(meta.id)},"object":"chat.completion.chunk","created":${meta.created},"model":${JSON.stringify(meta.model)},"system_fingerprint":null,`;
    this.#includeUsage = meta.includeUsage;
    this.#usageField = meta.includeUsage ? ',"usage":null' : "";
  }

  #choice(delta: string, finishReason: string | null): string {
    return `${this.#prefix}"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finishReason === null ? "null" : JSON.stringify(finishReason)}}]${this.#usageField}}\n\n`;
  }

  /** The first chunk: the assistant role with empty content. */
  start(): string {
    return this.#choice('{"role":"assistant","content":"","refusal":null}', null);
  }

  /** The frames of one router event (the finish event gives the finish and usage chunks). */
  event(event: CompletionStreamEvent): string {
    switch (event.type) {
      case "text":
        return this.#choice(`{"content":${JSON.stringify(event.text)}}`, null);
      case "tool_call_delta": {
        const call: Record<string, unknown> = { index: event.index };
        if (event.id !== undefined) call.id = event.id;
        if (event.name !== undefined) {
          call.type = "function";
          call.function = { name: event.name, arguments: event.arguments };
        } else {
          call.function = { arguments: event.arguments };
        }
        return this.#choice(JSON.stringify({ tool_calls: [call] }), null);
      }
      case "finish":
        return this.#choice("{}", event.finish_reason) + this.#usage(event.usage);
    }
  }

  #usage(usage: Usage): string {
    if (!this.#includeUsage) return "";
    return `${this.#prefix}"choices":[],"usage":${JSON.stringify(openAIUsage(usage))}}\n\n`;
  }

  /** The end marker. */
  done(): string {
    return "data: [DONE]\n\n";
  }

  /** An error frame for a stream that fails after it started, in OpenAI's error shape. */
  error(body: unknown): string {
    return `data: ${JSON.stringify(body)}\n\n`;
  }
}
