import { redactSecrets } from "@fabricatio/logger";
import { ThrydError } from "./thryd-error.js";

/** Longest response body kept on an `ApiError`, in characters. */
export const MAX_ERROR_BODY_CHARS = 2000;

/** Options of {@link ApiError}. */
export interface ApiErrorOptions {
  status: number;
  /**
   * The raw response body; kept truncated to {@link MAX_ERROR_BODY_CHARS}, with every
   * registered secret and credential masked (providers echo the key they refused).
   */
  body: string;
  /** The URL without its query string (never a key). */
  url: string;
  /** The `Retry-After` header in milliseconds. */
  retryAfterMs?: number;
  /**
   * Overrides the status-based default (408, 429 and 5xx). A key pool sets it for a rejected
   * key; an `x-should-retry` header sets it as the official SDKs read it.
   */
  isRetryable?: boolean;
  /** The provider's error type; read from the body when unset. */
  errorType?: string;
  /** The error this one wraps. */
  cause?: unknown;
}

// Reads the error type of the three wire formats we speak: OpenAI `{error:{type|code}}`,
// Anthropic `{type:"error",error:{type}}`, Gemini `{error:{status}}`.
function readErrorType(body: string): string | undefined {
  if (!body.startsWith("{")) return undefined;
  try {
    const error = (JSON.parse(body) as { error?: Record<string, unknown> })?.error;
    const type = error?.type ?? error?.status ?? error?.code;
    return typeof type === "string" ? type : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a status means "try again", as the official OpenAI, Anthropic and Google SDKs decide. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * The provider answered with a non-2xx status. 408, 429 and 5xx (Anthropic's 529 too) are
 * transient. The message and body never show a secret: both pass through `redactSecrets` of
 * @fabricatio/logger (registered keys, URL credentials, bearer tokens).
 */
export class ApiError extends ThrydError {
  override readonly code = "THRYD_API_ERROR";
  readonly status: number;
  /** The response body, truncated to 2000 characters, secrets masked as `***`. */
  readonly body: string;
  /** The `Retry-After` header in milliseconds, when the provider sent one. */
  readonly retryAfterMs: number | undefined;
  /**
   * The provider's error type from the JSON body, when there is one: `rate_limit_error`
   * (Anthropic), `RESOURCE_EXHAUSTED` (Gemini), `insufficient_quota` (OpenAI)…
   */
  readonly errorType: string | undefined;
  constructor(options: ApiErrorOptions) {
    // Redact before truncating: a cut through the middle of a key would no longer match it.
    const redacted = redactSecrets(options.body);
    const body =
      redacted.length > MAX_ERROR_BODY_CHARS
        ? `${redacted.slice(0, MAX_ERROR_BODY_CHARS)}…`
        : redacted;
    super(`API error (HTTP ${options.status}) from ${options.url}: ${body}`, {
      cause: options.cause,
      isRetryable: options.isRetryable ?? isRetryableStatus(options.status),
    });
    this.status = options.status;
    this.body = body;
    this.retryAfterMs = options.retryAfterMs;
    this.errorType = options.errorType ?? readErrorType(options.body);
  }
}

/** The connection failed or dropped before a full answer arrived. Transient. */
export class NetworkError extends ThrydError {
  override readonly code = "THRYD_NETWORK";
  constructor(url: string, cause: unknown) {
    super(`Request to ${url} failed: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
      isRetryable: true,
    });
  }
}

/** One attempt took longer than its `timeoutMs`. Transient. */
export class TimeoutError extends ThrydError {
  override readonly code = "THRYD_TIMEOUT";
  readonly timeoutMs: number;
  constructor(url: string, timeoutMs: number) {
    super(`Request to ${url} timed out after ${timeoutMs} ms`, { isRetryable: true });
    this.timeoutMs = timeoutMs;
  }
}

/** A streamed answer went silent for longer than its idle limit. Transient. */
export class StreamIdleTimeoutError extends ThrydError {
  override readonly code = "THRYD_STREAM_IDLE_TIMEOUT";
  /** The idle limit that was exceeded, in ms. */
  readonly idleTimeoutMs: number;
  constructor(url: string, idleTimeoutMs: number) {
    super(`Stream from ${url} sent nothing for ${idleTimeoutMs} ms`, { isRetryable: true });
    this.idleTimeoutMs = idleTimeoutMs;
  }
}

/** The caller's `AbortSignal` fired. Never retried. */
export class AbortedError extends ThrydError {
  override readonly code = "THRYD_ABORTED";
  constructor(what: string, cause?: unknown) {
    super(`${what} was aborted by the caller`, { cause });
  }
}

/** The event stream broke or carried an error event. Transient. */
export class SseError extends ThrydError {
  override readonly code = "THRYD_SSE";
  /**
   * The provider's error type when the stream carried an error event, e.g. Anthropic's
   * `overloaded_error` or Gemini's `UNAVAILABLE`; `undefined` for a broken stream.
   */
  readonly errorType: string | undefined;
  constructor(message: string, cause?: unknown, errorType?: string) {
    super(`SSE stream error: ${message}`, { cause, isRetryable: true });
    this.errorType = errorType;
  }
}

/** An answer was not the JSON shape expected. */
export class ParseError extends ThrydError {
  override readonly code = "THRYD_PARSE";
  constructor(what: string, cause?: unknown) {
    super(`Could not parse ${what}`, { cause });
  }
}

/** The cache store failed. Logged by the router, never thrown from `invoke`. */
export class CacheError extends ThrydError {
  override readonly code = "THRYD_CACHE";
  constructor(operation: string, cause: unknown) {
    super(`Cache ${operation} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}
