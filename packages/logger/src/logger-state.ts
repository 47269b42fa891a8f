import { accessSync, closeSync, constants as fsConstants, openSync } from "node:fs";
import path from "node:path";
import { NAME } from "@fabricatio/constants";
import { MESSAGE } from "triple-beam";
import winston from "winston";
import DailyRotateFile from "winston-daily-rotate-file";
import Transport from "winston-transport";
import { InvalidRotationError, LogFileError } from "./errors.js";
import { formatJsonLine, formatTextLine, type LogRecord } from "./format-line.js";
import { LEVEL_SEVERITY, LOG_LEVELS, type LogLevel } from "./levels.js";
import {
  type LogDirectives,
  lowestSeverity,
  parseLogDirectives,
  severityFor,
} from "./log-directives.js";
import { makeDirectory } from "./make-directory.js";
import { redactSecrets } from "./secret-registry.js";
import type { DebugSection, LoggerOptions, LogMeta, LogStream, Rotation } from "./types.js";

const ROTATIONS: readonly Rotation[] = ["never", "minutely", "hourly", "daily"];
const DATE_PATTERNS: Readonly<Record<Exclude<Rotation, "never">, string>> = {
  minutely: "YYYY-MM-DD-HH-mm",
  hourly: "YYYY-MM-DD-HH",
  daily: "YYYY-MM-DD",
};
// winston orders levels by number, most severe first.
const WINSTON_LEVELS = Object.fromEntries(
  LOG_LEVELS.map((level) => [level.toLowerCase(), LOG_LEVELS.length - 1 - LEVEL_SEVERITY[level]]),
);

const PASS_THROUGH = winston.format((info) => info)();

/** Where the records of one `initLogger` go. */
interface ActiveLogger {
  readonly winston: winston.Logger;
  /** Lowest severity `source` writes at, from the `level` directives. */
  thresholdFor(source: string): number;
  readonly options: LoggerOptions;
}

function thresholds(directives: LogDirectives): (source: string) => number {
  if (directives.targets.length === 0) return () => directives.defaultSeverity;
  // Sources are few and fixed: resolve each once.
  const bySource = new Map<string, number>();
  return (source) => {
    let severity = bySource.get(source);
    if (severity === undefined) {
      severity = severityFor(directives, source);
      bySource.set(source, severity);
    }
    return severity;
  };
}

let active: ActiveLogger | undefined;
let lastOptions: LoggerOptions = {};
let initialized = false;

/** Whether `initLogger` (or `initLoggerFromConfig`) has been called in this process. */
export function isLoggerInitialized(): boolean {
  return initialized;
}

/**
 * Parses a rotation name, case-insensitively.
 * @throws {InvalidRotationError} for anything but `never`, `minutely`, `hourly`, `daily`
 */
export function parseRotation(name: string): Rotation {
  const lower = name.trim().toLowerCase();
  if ((ROTATIONS as readonly string[]).includes(lower)) return lower as Rotation;
  throw new InvalidRotationError(name, ROTATIONS);
}

/** Writes each formatted line to a plain `{ write }` sink such as `process.stderr`. */
class StreamTransport extends Transport {
  constructor(
    private readonly stream: LogStream,
    format: winston.Logform.Format,
  ) {
    super({ format });
  }

  override log(info: Record<PropertyKey, unknown>, callback: () => void): void {
    this.stream.write(`${String(info[MESSAGE])}\n`);
    callback();
  }
}

// Redaction runs on the finished line, so a secret in the message, the metadata or a stack is
// caught alike, whichever sink the line goes to.
function lineFormat(kind: "text" | "json", colorize: boolean): winston.Logform.Format {
  return winston.format((info) => {
    const record = info as unknown as LogRecord;
    (info as Record<PropertyKey, unknown>)[MESSAGE] = redactSecrets(
      kind === "json" ? formatJsonLine(record) : formatTextLine(record, colorize),
    );
    return info;
  })();
}

function fileTransport(
  options: LoggerOptions,
  rotation: Rotation,
  format: winston.Logform.Format,
): Transport {
  const logDir = path.resolve(options.logDir as string);
  const name = options.name ?? NAME;
  const file = path.join(logDir, `${name}.log`);
  try {
    makeDirectory(logDir);
    if (rotation === "never") closeSync(openSync(file, "a"));
    else accessSync(logDir, fsConstants.W_OK);
  } catch (error) {
    throw new LogFileError(rotation === "never" ? file : logDir, error);
  }
  if (rotation === "never") return new winston.transports.File({ filename: file, format });
  return new DailyRotateFile({
    dirname: logDir,
    filename: `${name}.log.%DATE%`,
    datePattern: DATE_PATTERNS[rotation],
    auditFile: path.join(logDir, `.${name}-audit.json`),
    format,
  });
}

function winstonLevel(severity: number): string {
  const level = LOG_LEVELS.find((name) => LEVEL_SEVERITY[name] >= severity) ?? "CRITICAL";
  return level.toLowerCase();
}

function build(options: LoggerOptions): ActiveLogger {
  const directives = parseLogDirectives(options.level ?? "INFO");
  const rotation = parseRotation(options.rotation ?? "never");
  const kind = options.format ?? "text";
  let transport: Transport;
  if (options.logDir) {
    transport = fileTransport(options, rotation, lineFormat(kind, false));
  } else {
    const stream = options.stream ?? process.stderr;
    const env = options.env ?? process.env;
    const colorize = options.colorize ?? (Boolean(stream.isTTY) && !env.NO_COLOR);
    transport = new StreamTransport(stream, lineFormat(kind, colorize));
  }
  const logger = winston.createLogger({
    // winston's default logger-level format is json(), which would serialise every record once
    // more before the transport's own format runs.
    format: PASS_THROUGH,
    levels: WINSTON_LEVELS,
    // Per-source thresholds are checked before a record is built; winston lets through the lowest.
    level: winstonLevel(lowestSeverity(directives)),
    transports: [transport],
    exitOnError: false,
  });
  return { winston: logger, thresholdFor: thresholds(directives), options };
}

function transportDrained(transport: Transport): Promise<void> {
  return new Promise((resolve) => {
    transport.once("finish", () => {
      // The rotating transport reports "finish" before its file stream has flushed.
      const fileStream = (transport as { logStream?: { end(callback: () => void): void } })
        .logStream;
      if (fileStream) fileStream.end(() => resolve());
      else resolve();
    });
  });
}

async function closeWhenDrained(logger: winston.Logger): Promise<void> {
  const drained = Promise.all(logger.transports.map(transportDrained));
  logger.end();
  await drained;
}

/** The logger records go to, created with the last options on first use. */
export function activeLogger(): ActiveLogger {
  active ??= build(lastOptions);
  return active;
}

/**
 * Sets up the process-wide logger every `getLogger` child writes to, replacing (and closing) the
 * previous one.
 * @throws {InvalidLevelError} for an unknown level name
 * @throws {InvalidLogDirectiveError} for a `target=level` directive that cannot be parsed
 * @throws {InvalidRotationError} for an unknown rotation
 * @throws {LogFileError} when the log directory or file cannot be created or opened
 */
export function initLogger(options: LoggerOptions = {}): void {
  const next = build(options);
  const previous = active;
  active = next;
  lastOptions = options;
  initialized = true;
  if (previous) void closeWhenDrained(previous.winston);
}

/**
 * `initLogger` from the config's `[debug]` table (`log_level`, `log_dir`, `rotation`).
 * @throws {InvalidLevelError} | {InvalidRotationError} | {LogFileError} as `initLogger`
 */
export function initLoggerFromConfig(
  debug: DebugSection,
  extra: Omit<LoggerOptions, "level" | "logDir" | "rotation"> = {},
): void {
  initLogger({
    ...extra,
    level: debug.log_level ?? "INFO",
    ...(debug.log_dir ? { logDir: debug.log_dir } : {}),
    rotation: debug.rotation ?? "never",
  });
}

/**
 * Resolves once every line logged so far is written (files flushed and closed). Logging after it
 * reopens the same sinks, appending.
 */
export async function flushLogger(): Promise<void> {
  const current = active;
  active = undefined;
  if (current) await closeWhenDrained(current.winston);
}

const WINSTON_LEVEL_NAMES = Object.fromEntries(
  LOG_LEVELS.map((level) => [level, level.toLowerCase()]),
) as Record<LogLevel, string>;

/** Hands one record to winston; the caller has checked that its level is enabled. */
export function writeRecord(
  levelName: LogLevel,
  source: string,
  message: string,
  stack: string | undefined,
  meta: LogMeta | undefined,
): void {
  // The record itself is winston's info object: one allocation a line.
  const record: LogRecord & { level: string } = {
    level: WINSTON_LEVEL_NAMES[levelName],
    levelName,
    time: Date.now(),
    source,
    message,
    stack,
    meta,
  };
  activeLogger().winston.log(record);
}
