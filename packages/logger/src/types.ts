/** A message, or a function that builds it and is only called when the level is enabled. */
export type LogMessage = string | (() => string);

/** Structured data appended to a line as `key=value` pairs. */
export type LogMeta = Readonly<Record<string, unknown>>;

/** A logger bound to one source, such as `thryd:router`. */
export interface Logger {
  /** The source tag written on every line. */
  readonly source: string;
  /** Writes at TRACE, the most verbose level. */
  trace(message: LogMessage, meta?: LogMeta): void;
  /** Writes at DEBUG. */
  debug(message: LogMessage, meta?: LogMeta): void;
  /** Writes at INFO. */
  info(message: LogMessage, meta?: LogMeta): void;
  /** Writes at SUCCESS, between INFO and WARN. */
  success(message: LogMessage, meta?: LogMeta): void;
  /** Writes at WARN. */
  warn(message: LogMessage, meta?: LogMeta): void;
  /** Writes at ERROR; an `Error` prints its stack. */
  error(message: LogMessage | Error, meta?: LogMeta): void;
  /** Writes at CRITICAL, the most severe level; an `Error` prints its stack. */
  critical(message: LogMessage | Error, meta?: LogMeta): void;
  /** Whether a call at `level` (any case, aliases allowed) would write anything. */
  isLevelEnabled(level: string): boolean;
}

/** How often the log file starts anew. */
export type Rotation = "never" | "minutely" | "hourly" | "daily";

/** A writable sink for log lines, such as `process.stderr`. */
export interface LogStream {
  write(chunk: string): unknown;
  /** Whether the stream is a terminal: colours are used only then. */
  readonly isTTY?: boolean;
}

/** Options of `initLogger`. */
export interface LoggerOptions {
  /**
   * Lowest level written, any case (`WARNING` is an alias of `WARN`), optionally with per-source
   * directives as tracing's `EnvFilter`: `"info,thryd=debug,fabricatio:cache=trace"` (see
   * `parseLogDirectives`). @default "INFO"
   */
  level?: string;
  /** Directory of the log file; when set, lines go to `<logDir>/<name>.log` instead of stderr. */
  logDir?: string;
  /** How often the file starts anew: `never`, `minutely`, `hourly` or `daily`. @default "never" */
  rotation?: string;
  /** Base name of the log file. @default "fabricatio" */
  name?: string;
  /** `text` (loguru-style lines) or `json` (one object per line). @default "text" */
  format?: "text" | "json";
  /** Force colours on or off. @default on only for a TTY without `NO_COLOR` */
  colorize?: boolean;
  /** Where lines go when there is no `logDir`. @default process.stderr */
  stream?: LogStream;
  /** Environment read for `NO_COLOR`. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The `[debug]` table of fabricatio.toml. */
export interface DebugSection {
  /** @default "INFO" */
  log_level?: string;
  log_dir?: string | null;
  /** @default "never" */
  rotation?: string | null;
}
