import { ThrydError } from "./thryd-error.js";

/**
 * A completion request is malformed: both or neither of `message` / `messages`, a message with
 * an unknown role, a tool message without `tool_call_id`… `field` names the offending field
 * as a path (`messages[2].tool_call_id`). Nothing was sent.
 */
export class InvalidRequestError extends ThrydError {
  override readonly code = "THRYD_INVALID_REQUEST";
  /** Path of the offending field, e.g. `messages[2].role`. */
  readonly field: string;
  constructor(field: string, reason: string) {
    super(`Invalid completion request: ${field} ${reason}`);
    this.field = field;
  }
}

/**
 * The request uses a field the deployment's provider cannot honour (Anthropic has no `seed`,
 * say). Raised before anything is sent: a field is never silently dropped.
 */
export class UnsupportedFeatureError extends ThrydError {
  override readonly code = "THRYD_UNSUPPORTED_FEATURE";
  /** The request field, e.g. `seed` or `messages[1].content[0].file.file_id`. */
  readonly field: string;
  /** The provider wire format that cannot carry it: `openai`, `anthropic` or `gemini`. */
  readonly provider: string;
  constructor(field: string, provider: string, detail?: string) {
    super(
      `The ${provider} API cannot honour request field "${field}"${detail ? `: ${detail}` : ""}`,
    );
    this.field = field;
    this.provider = provider;
  }
}

/**
 * The provider's answer ended without its own completion marker (a stream without `[DONE]` or
 * a finish reason, Anthropic without `message_stop`, an empty 200 body…). The partial answer is
 * never returned or cached. Transient: a retry may get the whole answer.
 */
export class IncompleteResponseError extends ThrydError {
  override readonly code = "THRYD_INCOMPLETE_RESPONSE";
  /** What was missing or wrong, e.g. `stream ended without [DONE]`. */
  readonly reason: string;
  constructor(what: string, reason: string, cause?: unknown) {
    super(`Incomplete answer from ${what}: ${reason}`, { cause, isRetryable: true });
    this.reason = reason;
  }
}

/**
 * The provider withheld the answer for safety or policy reasons: OpenAI's `content_filter`,
 * Gemini's `promptFeedback.blockReason` or a `SAFETY` / `RECITATION` finish, Anthropic's
 * `refusal`. Not retried and never cached.
 */
export class ContentFilteredError extends ThrydError {
  override readonly code = "THRYD_CONTENT_FILTERED";
  /** The provider's own reason, e.g. `SAFETY`, `RECITATION`, `content_filter`, `refusal`. */
  readonly providerReason: string;
  /** Text the model produced before it was stopped, if any. */
  readonly partialContent: string;
  constructor(what: string, providerReason: string, partialContent = "") {
    super(`${what} withheld the answer (${providerReason})`);
    this.providerReason = providerReason;
    this.partialContent = partialContent;
  }
}
