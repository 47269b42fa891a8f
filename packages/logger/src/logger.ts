import winston from "winston";
import { LOG_LEVELS, type LogLevel } from "./levels.js";
import type { Logger, LogMessage, LogMeta } from "./types.js";

const WINSTON_LEVELS: Record<string, number> = Object.fromEntries(
  LOG_LEVELS.map((level, index) => [level.toLowerCase(), LOG_LEVELS.length - 1 - index]),
);

let root: winston.Logger | undefined;

function createDefaultRoot(): winston.Logger {
  return winston.createLogger({
    levels: WINSTON_LEVELS,
    level: "info",
    format: winston.format.printf(
      (info) =>
        `${String(info.timestamp ?? "")} | ${String(info.level).toUpperCase()} | ${String(info.source)} - ${String(info.message)}`,
    ),
    transports: [new winston.transports.Console({ stderrLevels: Object.keys(WINSTON_LEVELS) })],
  });
}

function rootLogger(): winston.Logger {
  root ??= createDefaultRoot();
  return root;
}

/** Replaces the process-wide winston logger every `getLogger` child writes to. */
export function setRootLogger(logger: winston.Logger): void {
  root?.close();
  root = logger;
}

class SourceLogger implements Logger {
  constructor(readonly source: string) {}

  isLevelEnabled(level: string): boolean {
    return rootLogger().isLevelEnabled(level.toLowerCase());
  }

  private write(level: LogLevel, message: LogMessage | Error, meta?: LogMeta): void {
    const name = level.toLowerCase();
    const logger = rootLogger();
    if (!logger.isLevelEnabled(name)) return;
    const text = typeof message === "function" ? message() : message;
    logger.log({
      level: name,
      message: text instanceof Error ? text.message : text,
      source: this.source,
      ...meta,
    });
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

/** A logger whose lines carry `source` (`package:area`, e.g. `thryd:router`). */
export function getLogger(source: string): Logger {
  return new SourceLogger(source);
}
