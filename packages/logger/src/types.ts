/** A message, or a function that builds it and is only called when the level is enabled. */
export type LogMessage = string | (() => string);

/** Structured data appended to a line as `key=value` pairs. */
export type LogMeta = Readonly<Record<string, unknown>>;

/** A logger bound to one source, such as `thryd:router`. */
export interface Logger {
  /** The source tag written on every line. */
  readonly source: string;
  trace(message: LogMessage, meta?: LogMeta): void;
  debug(message: LogMessage, meta?: LogMeta): void;
  info(message: LogMessage, meta?: LogMeta): void;
  success(message: LogMessage, meta?: LogMeta): void;
  warn(message: LogMessage, meta?: LogMeta): void;
  error(message: LogMessage | Error, meta?: LogMeta): void;
  critical(message: LogMessage | Error, meta?: LogMeta): void;
  /** Whether a call at `level` would write anything. */
  isLevelEnabled(level: string): boolean;
}
