import type { Logger } from "@fabricatio/logger";
import { CacheError } from "../errors/transport-errors.js";

/** Least time between two WARN lines about a failing cache, in milliseconds. */
export const CACHE_WARNING_INTERVAL_MS = 60_000;

/**
 * Logs cache failures without flooding the log: the first failure is a WARN line, later ones
 * within `CACHE_WARNING_INTERVAL_MS` go to DEBUG and are counted into the next WARN line. A
 * broken store fails on every request, and a line per request would bury everything else.
 */
export class CacheFailureLog {
  readonly #logger: Logger;
  readonly #now: () => number;
  #lastWarningAt = Number.NEGATIVE_INFINITY;
  #suppressed = 0;

  constructor(logger: Logger, now: () => number) {
    this.#logger = logger;
    this.#now = now;
  }

  /** Records one failure of `operation` (`open`, `store`, `close`). */
  report(operation: string, cause: unknown): void {
    const error = new CacheError(operation, cause);
    const now = this.#now();
    if (now - this.#lastWarningAt < CACHE_WARNING_INTERVAL_MS) {
      this.#suppressed++;
      this.#logger.debug(error.message, { code: error.code });
      return;
    }
    const suppressed = this.#suppressed;
    this.#lastWarningAt = now;
    this.#suppressed = 0;
    this.#logger.warn(
      suppressed > 0
        ? `${error.message} (${suppressed} more cache failure(s) since the last warning)`
        : `${error.message}; requests go on without this cache tier`,
      { code: error.code },
    );
  }
}
