import { redactSecrets } from "@fabricatio/logger";

const ERROR_BRAND = Symbol.for("fabricatio.error");

/** Options every thryd error accepts. */
export interface ThrydErrorOptions {
  /** The error this one wraps. */
  cause?: unknown;
  /** Whether retrying the same request may succeed. @default false */
  isRetryable?: boolean;
}

/**
 * Base class of every error thrown by `@fabricatio/thryd`. Check `code`, not `instanceof`. The
 * message never shows a secret: it passes through `redactSecrets` of @fabricatio/logger.
 */
export class ThrydError extends Error {
  /** Stable machine-readable code, `THRYD_*`. */
  readonly code: string = "THRYD_ERROR";
  /** Whether a retry of the same request may succeed; decided where the error is created. */
  readonly isRetryable: boolean;
  readonly [ERROR_BRAND] = true;

  constructor(message: string, options: ThrydErrorOptions = {}) {
    super(
      redactSecrets(message),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.isRetryable = options.isRetryable ?? false;
  }
}

/** True for any thryd error, even one from a second copy of the package. */
export function isThrydError(value: unknown): value is ThrydError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[ERROR_BRAND] === true &&
    typeof (value as { code?: unknown }).code === "string" &&
    (value as { code: string }).code.startsWith("THRYD_")
  );
}

/**
 * True when retrying may help: network failures, timeouts, broken SSE streams, HTTP 429 and
 * 5xx, and rate-limit waits. Reads the flag set where the error was created.
 */
export function isTransientError(value: unknown): boolean {
  return isThrydError(value) && value.isRetryable;
}
