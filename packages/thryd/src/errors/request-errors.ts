import { ThrydError } from "./thryd-error.js";

/** One problem of a malformed request: the field's path and what is wrong with it. */
export interface RequestProblem {
  /** Path of the offending field, e.g. `messages[2].role`. */
  field: string;
  reason: string;
}

/**
 * A completion request is malformed: both or neither of `message` / `messages`, a message with
 * an unknown role, a tool message without a matching tool call… Every problem found is listed
 * in `problems` and in the message; `field` is the first. Nothing was reserved or sent.
 */
export class InvalidRequestError extends ThrydError {
  override readonly code = "THRYD_INVALID_REQUEST";
  /** Path of the (first) offending field, e.g. `messages[2].tool_call_id`. */
  readonly field: string;
  /** Every problem found, in request order. */
  readonly problems: readonly RequestProblem[];
  constructor(problems: readonly RequestProblem[]);
  constructor(field: string, reason: string);
  constructor(fieldOrProblems: string | readonly RequestProblem[], reason = "") {
    const problems =
      typeof fieldOrProblems === "string" ? [{ field: fieldOrProblems, reason }] : fieldOrProblems;
    const listed = problems.map((problem) => `${problem.field} ${problem.reason}`).join("; ");
    super(`Invalid completion request: ${listed}`);
    this.problems = problems;
    this.field = problems[0]?.field ?? "request";
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
