import { DummyExhaustedError } from "../errors/router-errors.js";
import { AbortedError } from "../errors/transport-errors.js";
import { countTokens } from "../tokens/count-tokens.js";
import type {
  CallOptions,
  CompletionResponse,
  Model,
  ModelKind,
  Provider,
  RequestOf,
  ResponseOf,
  StreamEvent,
} from "../types.js";
import { usageOf } from "./usage.js";

/** What a queued dummy call does: answer with a response or throw an error. */
export type DummyOutcome<K extends ModelKind> = ResponseOf<K> | Error;

/** Options of {@link DummyModel}. */
export interface DummyModelOptions<K extends ModelKind> {
  kind: K;
  /** @default "dummy-model" */
  name?: string;
  /** The provider it claims to belong to; only its name is used. */
  provider: Provider;
}

/**
 * A model for tests that sends nothing: each call takes the next queued outcome, first in first
 * out, records the request in `calls`, and throws `DummyExhaustedError` when the queue is empty.
 */
export class DummyModel<K extends ModelKind = ModelKind> implements Model<K> {
  readonly kind: K;
  readonly name: string;
  readonly provider: Provider;
  /** Every request received, in order. */
  readonly calls: RequestOf<K>[] = [];
  readonly #queue: DummyOutcome<K>[] = [];

  constructor(options: DummyModelOptions<K>) {
    this.kind = options.kind;
    this.name = options.name ?? "dummy-model";
    this.provider = options.provider;
  }

  /** Queues responses (completion models also take plain strings). Returns `this`. */
  respond(...responses: (ResponseOf<K> | (K extends "completion" ? string : never))[]): this {
    for (const response of responses) {
      this.#queue.push(
        typeof response === "string"
          ? ({
              content: response,
              usage: usageOf(0, countTokens(response)),
              finish_reason: "stop",
              message: { role: "assistant", content: response },
            } as ResponseOf<K>)
          : (response as ResponseOf<K>),
      );
    }
    return this;
  }

  /** Queues errors to throw. Returns `this`. */
  fail(...errors: Error[]): this {
    this.#queue.push(...errors);
    return this;
  }

  /** Number of outcomes left in the queue. */
  get pending(): number {
    return this.#queue.length;
  }

  async invoke(request: RequestOf<K>, options?: CallOptions): Promise<ResponseOf<K>> {
    if (options?.signal?.aborted) {
      throw new AbortedError(`Dummy model "${this.name}"`, options.signal.reason);
    }
    this.calls.push(request);
    const outcome = this.#queue.shift();
    if (outcome === undefined) throw new DummyExhaustedError(this.name, this.kind);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  /** Streams the next queued completion word by word, then its usage. */
  async *stream(request: RequestOf<K>, options?: CallOptions): AsyncIterable<StreamEvent> {
    const response = (await this.invoke(request, options)) as unknown as CompletionResponse;
    for (const piece of response.content.split(/(?<=\s)/)) {
      if (piece) yield { type: "delta", text: piece };
    }
    for (const [index, call] of (response.tool_calls ?? []).entries()) {
      yield {
        type: "tool_call_delta",
        index,
        id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
      };
    }
    yield { type: "usage", usage: response.usage };
    yield { type: "finish", finish_reason: response.finish_reason ?? "stop" };
  }
}
