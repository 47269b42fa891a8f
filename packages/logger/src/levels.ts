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
