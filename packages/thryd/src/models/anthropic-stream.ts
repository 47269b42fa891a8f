import { IncompleteResponseError } from "../errors/request-errors.js";
import { SseError } from "../errors/transport-errors.js";
import type { StreamEvent, Usage } from "../types.js";
import {
  type AnthropicUsage,
  finishReasonOf,
  mergeAnthropicUsage,
  readAnthropicUsage,
} from "./anthropic-response.js";

/** One Messages API stream event, as far as the decoder reads it. */
export interface AnthropicStreamEvent {
  type?: string;
  index?: number;
  message?: { usage?: AnthropicUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string; data?: string };
  delta?: {
    type?: string;
    text?: string;
    partial_json?: string;
    thinking?: string;
    signature?: string;
    stop_reason?: string | null;
  };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

/**
 * Turns Messages API stream events into our stream events: `text_delta` → `delta`, a `tool_use`
 * block and its `input_json_delta` fragments → `tool_call_delta` (tool calls numbered 0, 1, …
 * in block order), `message_delta` → the stop reason and usage. It finishes only after
 * `message_stop`; {@link end} refuses a stream that ended sooner.
 */
export class AnthropicStreamDecoder {
  readonly #what: string;
  #usage: AnthropicUsage | undefined;
  #stopReason: string | null | undefined;
  #stopped = false;
  #text = "";
  // Block index → the tool call it carries, and whether any argument text came for it.
  readonly #toolBlocks = new Map<number, { index: number; hasArguments: boolean }>();
  // Thinking blocks by block index, rebuilt from their deltas to be sent back in a tool loop.
  readonly #thinking = new Map<number, Record<string, string>>();
  readonly #onThinking: ((toolCallId: string, blocks: readonly object[]) => void) | undefined;

  /**
   * @param what names the model in errors, e.g. `model "claude-x"`
   * @param onThinking receives the thinking blocks written before the first tool call
   */
  constructor(what: string, onThinking?: (toolCallId: string, blocks: readonly object[]) => void) {
    this.#what = what;
    this.#onThinking = onThinking;
  }

  /** Whether `message_stop` arrived: later events are ignored. */
  get isStopped(): boolean {
    return this.#stopped;
  }

  /**
   * Reads one event (its `type` from the data, else the SSE event name).
   * @throws {SseError} for an `error` event, with the provider's `errorType`
   * @throws {IncompleteResponseError} for argument fragments of a block that is no tool call
   */
  push(event: AnthropicStreamEvent, eventName?: string): StreamEvent[] {
    if (this.#stopped) return [];
    switch (event.type ?? eventName) {
      case "error": {
        const type = event.error?.type ?? "error";
        throw new SseError(`${type}: ${event.error?.message ?? ""}`, undefined, type);
      }
      case "message_start":
        this.#usage = mergeAnthropicUsage(this.#usage, event.message?.usage);
        return [];
      case "content_block_start":
        return this.#startBlock(event);
      case "content_block_delta":
        return this.#blockDelta(event);
      case "content_block_stop": {
        const tool = this.#toolBlocks.get(event.index ?? -1);
        // A call without arguments streams no fragment; `{}` keeps the JSON text valid.
        if (tool && !tool.hasArguments) {
          tool.hasArguments = true;
          return [{ type: "tool_call_delta", index: tool.index, arguments: "{}" }];
        }
        return [];
      }
      case "message_delta":
        if (event.delta?.stop_reason !== undefined) this.#stopReason = event.delta.stop_reason;
        this.#usage = mergeAnthropicUsage(this.#usage, event.usage);
        return [];
      case "message_stop":
        this.#stopped = true;
        return [];
      default:
        // `ping` and event types added later carry nothing we map.
        return [];
    }
  }

  #startBlock(event: AnthropicStreamEvent): StreamEvent[] {
    const block = event.content_block;
    if (block?.type === "thinking") {
      this.#thinking.set(event.index ?? -1, { type: "thinking", thinking: "", signature: "" });
      return [];
    }
    if (block?.type === "redacted_thinking" && typeof block.data === "string") {
      this.#thinking.set(event.index ?? -1, { type: "redacted_thinking", data: block.data });
      return [];
    }
    if (block?.type === "text" && block.text) {
      this.#text += block.text;
      return [{ type: "delta", text: block.text }];
    }
    if (block?.type !== "tool_use") return [];
    if (typeof block.id !== "string" || typeof block.name !== "string") {
      throw new IncompleteResponseError(this.#what, "a tool_use block without id or name");
    }
    const index = this.#toolBlocks.size;
    this.#toolBlocks.set(event.index ?? -1, { index, hasArguments: false });
    if (index === 0 && this.#thinking.size > 0) {
      this.#onThinking?.(block.id, [...this.#thinking.values()]);
    }
    return [{ type: "tool_call_delta", index, id: block.id, name: block.name, arguments: "" }];
  }

  #blockDelta(event: AnthropicStreamEvent): StreamEvent[] {
    const delta = event.delta;
    const thinking = this.#thinking.get(event.index ?? -1);
    if (thinking && delta?.type === "thinking_delta") thinking.thinking += delta.thinking ?? "";
    if (thinking && delta?.type === "signature_delta") thinking.signature += delta.signature ?? "";
    if (delta?.type === "text_delta" && typeof delta.text === "string" && delta.text !== "") {
      this.#text += delta.text;
      return [{ type: "delta", text: delta.text }];
    }
    if (delta?.type !== "input_json_delta") return [];
    const tool = this.#toolBlocks.get(event.index ?? -1);
    if (!tool) {
      throw new IncompleteResponseError(
        this.#what,
        `input_json_delta for block ${event.index} that is not a tool_use block`,
      );
    }
    if (!delta.partial_json) return [];
    tool.hasArguments = true;
    return [{ type: "tool_call_delta", index: tool.index, arguments: delta.partial_json }];
  }

  /**
   * The closing events once the stream ended: usage (the provider's, else `fallbackUsage` of
   * the text seen), then the finish.
   * @throws {IncompleteResponseError} without `message_stop` or a complete stop reason
   * @throws {ContentFilteredError} when the model refused, with the text streamed before
   */
  end(fallbackUsage: (text: string) => Usage): StreamEvent[] {
    if (!this.#stopped) {
      throw new IncompleteResponseError(this.#what, "the stream ended without message_stop");
    }
    const finishReason = finishReasonOf(this.#stopReason, this.#what, this.#text);
    return [
      { type: "usage", usage: readAnthropicUsage(this.#usage) ?? fallbackUsage(this.#text) },
      { type: "finish", finish_reason: finishReason },
    ];
  }
}
