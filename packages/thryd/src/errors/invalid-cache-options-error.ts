import { ThrydError } from "./thryd-error.js";

/** A `RouterCacheOptions` value out of its range, such as a negative `memoryMaxEntries`. */
export class InvalidCacheOptionsError extends ThrydError {
  override readonly code = "THRYD_INVALID_CACHE_OPTIONS";
  /** The option's name, e.g. `memoryTtlS`. */
  readonly option: string;
  constructor(option: string, value: unknown, expected: string) {
    super(
      `Cache option ${option} must be ${expected}, got ${JSON.stringify(value) ?? String(value)}`,
    );
    this.option = option;
  }
}
