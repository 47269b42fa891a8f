import { ThrydError } from "./thryd-error.js";

/** One failed try of a fallback chain. */
export interface FallbackAttempt {
  /** The group tried. */
  group: string;
  /** The deployment that failed (`<provider>/<model>`), when one was dispatched to. */
  deployment: string | undefined;
  /** The error that group ended with (after its retries). */
  error: unknown;
}

/**
 * The group and each of its fallback groups failed. `cause` is the last attempt's error and
 * `attempts` the whole chain, in order.
 */
export class FallbackExhaustedError extends ThrydError {
  override readonly code = "THRYD_FALLBACK_EXHAUSTED";
  readonly group: string;
  readonly attempts: readonly FallbackAttempt[];
  constructor(group: string, attempts: readonly FallbackAttempt[]) {
    const chain = attempts
      .map(
        (attempt) =>
          `${attempt.group}${attempt.deployment ? ` (${attempt.deployment})` : ""}: ${
            (attempt.error as { code?: string })?.code ?? (attempt.error as Error)?.name
          }`,
      )
      .join(" → ");
    super(`Group "${group}" and its fallbacks failed: ${chain}`, {
      cause: attempts.at(-1)?.error,
    });
    this.group = group;
    this.attempts = attempts;
  }
}
