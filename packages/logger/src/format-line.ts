import type { LogLevel } from "./levels.js";

/** One log event as the formatters see it. */
export interface LogRecord {
  /** When the call was made, in milliseconds since the epoch. */
  readonly time: number;
  /** The record's level (winston's own `level` field holds the lower-case name). */
  readonly levelName: LogLevel;
  readonly source: string;
  readonly message: string;
  /** Stack of the `Error` logged as the message, if any. */
  readonly stack?: string;
  readonly meta?: Readonly<Record<string, unknown>>;
}

const RESET = "\x1b[0m";
const GREEN = "\x1b[32m";
const RED = "\x1b[31m";
const CYAN = "\x1b[36m";

// The original's colours for its five levels; SUCCESS and CRITICAL take loguru's.
const LEVEL_COLOURS: Readonly<Record<LogLevel, string>> = {
  TRACE: "\x1b[2m\x1b[1m",
  DEBUG: "\x1b[34m\x1b[1m",
  INFO: "\x1b[0m\x1b[1m",
  SUCCESS: "\x1b[32m\x1b[1m",
  WARN: "\x1b[33m\x1b[1m",
  ERROR: "\x1b[31m\x1b[1m",
  CRITICAL: "\x1b[41m\x1b[1m",
};

const LEVEL_WIDTH = 8;
const PADDED_LEVELS = Object.fromEntries(
  Object.keys(LEVEL_COLOURS).map((level) => [level, level.padEnd(LEVEL_WIDTH)]),
) as Record<LogLevel, string>;

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

// Most lines of a busy logger fall in the same second as the previous one.
let cachedSecond = Number.NaN;
let cachedClock = "";

function clock(time: number): string {
  const second = Math.floor(time / 1000);
  if (second !== cachedSecond) {
    const date = new Date(time);
    cachedClock = `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
    cachedSecond = second;
  }
  return cachedClock;
}

function renderValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function metaPairs(meta: Readonly<Record<string, unknown>> | undefined): string {
  if (!meta) return "";
  let text = "";
  for (const key in meta) text += ` ${key}=${renderValue(meta[key])}`;
  return text;
}

function metaStacks(meta: Readonly<Record<string, unknown>> | undefined): string {
  if (!meta) return "";
  let text = "";
  for (const key in meta) {
    const value = meta[key];
    if (value instanceof Error && value.stack) text += `\n${value.stack}`;
  }
  return text;
}

/** `HH:mm:ss | LEVEL    | source - message key=value`, with the original's ANSI colours when asked. */
export function formatTextLine(record: LogRecord, colorize: boolean): string {
  const level = PADDED_LEVELS[record.levelName];
  const tail = `${metaPairs(record.meta)}${record.stack ? `\n${record.stack}` : ""}${metaStacks(record.meta)}`;
  if (!colorize)
    return `${clock(record.time)} | ${level} | ${record.source} - ${record.message}${tail}`;
  const colour = LEVEL_COLOURS[record.levelName];
  return (
    `${GREEN}${clock(record.time)}${RESET} ${RED}| ${colour}${level}${RESET} ${RED}| ` +
    `${CYAN}${record.source}${RESET} ${RED}- ${colour}${record.message}${RESET}${tail}`
  );
}

function jsonSafe(value: unknown): unknown {
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** One JSON object per line: `time` (ISO 8601), `level`, `source`, `message`, `stack`, then the metadata. */
export function formatJsonLine(record: LogRecord): string {
  const object: Record<string, unknown> = {
    time: new Date(record.time).toISOString(),
    level: record.levelName,
    source: record.source,
    message: record.message,
  };
  if (record.stack) object.stack = record.stack;
  if (record.meta) for (const key in record.meta) object[key] = jsonSafe(record.meta[key]);
  return JSON.stringify(object, (_key, value) =>
    typeof value === "bigint" ? value.toString() : value,
  );
}
