import { UsageError } from "../errors.js";

/** The accepted range of a numeric flag. */
export interface NumberRange {
  /** Smallest accepted value. */
  min: number;
  /** Largest accepted value. */
  max: number;
  /** Whether `min` itself is excluded (a timeout must be above 0). @default false */
  exclusiveMin?: boolean;
  /** Whether only whole numbers are accepted. @default false */
  integer?: boolean;
}

/** Longest time limit a flag takes, in seconds: Node's timers overflow past 2^31 - 1 ms. */
export const MAX_TIMEOUT_S = 2_147_483;

function describeRange({ min, max, exclusiveMin, integer }: NumberRange): string {
  const kind = integer ? "a whole number" : "a number";
  const bounded = Number.isFinite(max);
  if (exclusiveMin) return `${kind} above ${min}${bounded ? ` and at most ${max}` : ""}`;
  return bounded ? `${kind} from ${min} to ${max}` : `${kind} of at least ${min}`;
}

/**
 * Parses the value of a numeric flag.
 * @throws {UsageError} naming the flag, the value given and the accepted range (CLI exit 2)
 */
export function parseNumberFlag(value: string, flag: string, range: NumberRange): number {
  const parsed = value.trim() === "" ? Number.NaN : Number(value);
  const inRange =
    Number.isFinite(parsed) &&
    (range.exclusiveMin ? parsed > range.min : parsed >= range.min) &&
    parsed <= range.max &&
    (!range.integer || Number.isInteger(parsed));
  if (!inRange) {
    throw new UsageError(`${flag} must be ${describeRange(range)}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}
