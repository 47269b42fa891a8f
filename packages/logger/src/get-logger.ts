import { LEVEL_SEVERITY, type LogLevel, parseLevel } from "./levels.js";
import { activeLogger, writeRecord } from "./logger-state.js";
import type { Logger, LogMessage, LogMeta } from "./types.js";

class SourceLogger implements Logger {
  constructor(readonly source: string) {}

  isLevelEnabled(level: string): boolean {
    return LEVEL_SEVERITY[parseLevel(level)] >= activeLogger().thresholdFor(this.source);
  }

  // The threshold check comes first so a disabled level builds no string and no record.
  private write(level: LogLevel, message: LogMessage | Error, meta: LogMeta | undefined): void {
    if (LEVEL_SEVERITY[level] < activeLogger().thresholdFor(this.source)) return;
    let text: string;
    let stack: string | undefined;
    if (typeof message === "function") text = message();
    else if (message instanceof Error) {
      text = message.message;
      stack = message.stack;
    } else text = message;
    writeRecord(level, this.source, text, stack, meta);
  }

  trace(message: LogMessage, meta?: LogMeta): void {
    this.write("TRACE", message, meta);
  }
  debug(message: LogMessage, meta?: LogMeta): void {
    this.write("DEBUG", message, meta);
  }
  info(message: LogMessage, meta?: LogMeta): void {
    this.write("INFO", message, meta);
  }
  success(message: LogMessage, meta?: LogMeta): void {
    this.write("SUCCESS", message, meta);
  }
  warn(message: LogMessage, meta?: LogMeta): void {
    this.write("WARN", message, meta);
  }
  error(message: LogMessage | Error, meta?: LogMeta): void {
    this.write("ERROR", message, meta);
  }
  critical(message: LogMessage | Error, meta?: LogMeta): void {
    this.write("CRITICAL", message, meta);
  }
}

/**
 * A logger whose lines carry `source` (`package:area`, e.g. `thryd:router`). It writes to
 * whatever `initLogger` set up last (by default INFO and above to stderr), so it can be created
 * at module level before the application configures logging.
 */
export function getLogger(source: string): Logger {
  return new SourceLogger(source);
}
