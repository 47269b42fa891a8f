import { assistantMessageOf } from "../chat/normalize.js";
import { estimatePromptTokens } from "../chat/prompt-tokens.js";
import { ContentFilteredError, IncompleteResponseError } from "../errors/request-errors.js";
import { usageOf } from "../models/usage.js";
import { countTokens } from "../tokens/count-tokens.js";
import type {
  CompletionRequest,
  CompletionResponse,
  CompletionStreamEvent,
  FinishReason,
  StreamEvent,
  ToolCall,
  Usage,
} from "../types.js";

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Builds the whole answer from a model's stream events: the text, each tool call assembled per
 * `index` (`id` and `name` from its first fragment that has them, `arguments` concatenated), the
 * usage and the finish reason. The answer exists only once the model sent its `finish`.
 */
export class StreamAssembler {
  readonly #what: string;
  #content = "";
  readonly #calls: PartialCall[] = [];
  #usage: Usage | undefined;
  #finishReason: FinishReason | undefined;

  /** `what` names the source in errors, e.g. `model "openai/gpt-4o"`. */
  constructor(what: string) {
    this.#what = what;
  }

  /** Whether the model has sent its `finish` event. */
  get finished(): boolean {
    return this.#finishReason !== undefined;
  }

  /**
   * Takes one model event; returns the event to pass on to the caller, if any (`usage` and
   * `finish` are held until the answer is complete).
   * @throws {IncompleteResponseError} for an event after `finish` or a bad tool-call index
   */
  push(event: StreamEvent): CompletionStreamEvent | undefined {
    if (this.#finishReason !== undefined) {
      throw new IncompleteResponseError(this.#what, `a "${event.type}" event came after finish`);
    }
    switch (event.type) {
      case "delta":
        if (event.text === "") return undefined;
        this.#content += event.text;
        return { type: "text", text: event.text };
      case "tool_call_delta": {
        if (!Number.isInteger(event.index) || event.index < 0) {
          throw new IncompleteResponseError(
            this.#what,
            `tool call index ${JSON.stringify(event.index)} is not a non-negative integer`,
          );
        }
        this.#calls[event.index] ??= { id: "", name: "", arguments: "" };
        const call = this.#calls[event.index]!;
        if (event.id && !call.id) call.id = event.id;
        if (event.name && !call.name) call.name = event.name;
        call.arguments += event.arguments;
        return { ...event };
      }
      case "usage":
        this.#usage = event.usage;
        return undefined;
      case "finish":
        this.#finishReason = event.finish_reason;
        return undefined;
    }
  }

  /**
   * The whole answer. Usage is estimated with tiktoken when the model reported none.
   * @throws {IncompleteResponseError} when the model sent no `finish`, or a tool call lacks its
   * id or name
   * @throws {ContentFilteredError} when the provider filtered the answer
   */
  response(request: CompletionRequest): CompletionResponse {
    const finishReason = this.#finishReason;
    if (finishReason === undefined) {
      throw new IncompleteResponseError(this.#what, "the stream ended without a finish event");
    }
    if (finishReason === "content_filter") {
      throw new ContentFilteredError(this.#what, "content_filter", this.#content);
    }
    const toolCalls: ToolCall[] = [];
    for (const [index, call] of this.#calls.entries()) {
      if (call === undefined) continue;
      if (!call.id || !call.name) {
        throw new IncompleteResponseError(this.#what, `tool call ${index} has no id or name`);
      }
      toolCalls.push({
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: call.arguments },
      });
    }
    const content = this.#content;
    return {
      content,
      usage: this.#usage ?? usageOf(estimatePromptTokens(request), countTokens(content)),
      finish_reason: finishReason,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      message: assistantMessageOf(content, toolCalls),
    };
  }
}

/**
 * A whole answer as the events a stream of it would give: its text, each tool call as one
 * fragment, then `finish`. Cache hits and models that cannot stream are replayed this way.
 */
export function* replayEvents(response: CompletionResponse): Generator<CompletionStreamEvent> {
  if (response.content !== "") yield { type: "text", text: response.content };
  for (const [index, call] of (response.tool_calls ?? []).entries()) {
    yield {
      type: "tool_call_delta",
      index,
      id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
    };
  }
  yield {
    type: "finish",
    finish_reason: response.finish_reason,
    usage: response.usage,
    response,
  };
}
