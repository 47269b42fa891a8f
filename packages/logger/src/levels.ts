import { InvalidLevelError } from "./errors.js";

/** Log levels, lowest to highest severity. */
export const LOG_LEVELS = [
  "TRACE",
  "DEBUG",
  "INFO",
  "SUCCESS",
  "WARN",
  "ERROR",
  "CRITICAL",
] as const;

/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Anything `parseLevel` accepts: a level in any case, or the alias `WARNING`. */
export type LevelName = LogLevel | Lowercase<LogLevel> | "WARNING" | "warning" | (string & {});

const ALIASES: Readonly<Record<string, LogLevel>> = { WARNING: "WARN" };

/** Severity of each level: higher is more severe. */
export const LEVEL_SEVERITY: Readonly<Record<LogLevel, number>> = Object.freeze({
  TRACE: 0,
  DEBUG: 1,
  INFO: 2,
  SUCCESS: 3,
  WARN: 4,
  ERROR: 5,
  CRITICAL: 6,
});

/**
 * The level a name denotes, case-insensitively; `WARNING` is an alias of `WARN`.
 * @throws {InvalidLevelError} for any other name, listing the valid ones
 */
export function parseLevel(name: string): LogLevel {
  const upper = name.trim().toUpperCase();
  const level = ALIASES[upper] ?? upper;
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new InvalidLevelError(name, [...LOG_LEVELS, ...Object.keys(ALIASES)]);
}
