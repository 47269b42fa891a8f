import { redactSecrets } from "@fabricatio/logger";
import { type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import type { ModelKind, Usage } from "../types.js";
import { errorLabel } from "./metrics.js";

/** The tracer name under which thryd's spans appear. */
export const TRACER_NAME = "@fabricatio/thryd";

// GenAI semantic conventions: `chat` and `embeddings` are defined operation names; rerank has
// none, so it gets its own.
const OPERATIONS: Record<ModelKind, string> = {
  completion: "chat",
  embedding: "embeddings",
  rerank: "rerank",
};

const REQUEST_ATTRIBUTES: [field: string, attribute: string][] = [
  ["temperature", "gen_ai.request.temperature"],
  ["top_p", "gen_ai.request.top_p"],
  ["max_completion_tokens", "gen_ai.request.max_tokens"],
  ["presence_penalty", "gen_ai.request.presence_penalty"],
  ["frequency_penalty", "gen_ai.request.frequency_penalty"],
  ["ndim", "gen_ai.embeddings.dimension.count"],
];

/** What a span needs to know about the deployment it covers. */
export interface TracedDeployment {
  readonly id: string;
  readonly group: string;
  readonly model: { readonly name: string; readonly provider: { readonly name: string } };
}

/**
 * Opens one client span per model call, named `<operation> <model>` with the GenAI semantic
 * convention attributes. Spans go to the global tracer provider (no-op until the application
 * registers an OpenTelemetry SDK) unless a tracer is given.
 */
export class GenAiTracing {
  readonly #kind: ModelKind;
  readonly #tracer: Tracer;

  constructor(kind: ModelKind, tracer?: Tracer) {
    this.#kind = kind;
    // The global API hands out a proxy tracer that follows a provider registered later.
    this.#tracer = tracer ?? trace.getTracer(TRACER_NAME);
  }

  /** Starts the span of one call to `deployment`. */
  start(deployment: TracedDeployment, request: object): Span {
    const operation = OPERATIONS[this.#kind];
    const span = this.#tracer.startSpan(`${operation} ${deployment.model.name}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": operation,
        "gen_ai.provider.name": deployment.model.provider.name,
        "gen_ai.request.model": deployment.model.name,
        "thryd.group": deployment.group,
        "thryd.deployment": deployment.id,
      },
    });
    if (span.isRecording()) {
      const fields = request as Record<string, unknown>;
      for (const [field, attribute] of REQUEST_ATTRIBUTES) {
        const value = fields[field];
        if (typeof value === "number") span.setAttribute(attribute, value);
      }
    }
    return span;
  }

  /** Ends a span with the response's usage. */
  succeed(span: Span, usage: Usage | undefined): void {
    if (usage) {
      span.setAttribute("gen_ai.usage.input_tokens", usage.prompt_tokens);
      span.setAttribute("gen_ai.usage.output_tokens", usage.completion_tokens);
    }
    span.end();
  }

  /**
   * Ends a span as failed, with `error.type` set to the error's code and the message, secrets
   * masked, as its status: spans leave the process, so they get the same redaction as logs.
   */
  fail(span: Span, error: unknown): void {
    span.setAttribute("error.type", errorLabel(error));
    const message = (error as Error)?.message;
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: typeof message === "string" ? redactSecrets(message) : undefined,
    });
    span.end();
  }
}
