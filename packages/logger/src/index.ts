export {
  InvalidLevelError,
  InvalidLogDirectiveError,
  InvalidRotationError,
  isLoggerError,
  LogFileError,
  LoggerError,
} from "./errors.js";
export type { LogRecord } from "./format-line.js";
export { formatJsonLine, formatTextLine } from "./format-line.js";
export { getLogger } from "./get-logger.js";
export type { LevelName, LogLevel } from "./levels.js";
export { LEVEL_SEVERITY, LOG_LEVELS, parseLevel } from "./levels.js";
export type { LogDirectives, TargetDirective } from "./log-directives.js";
export { parseLogDirectives, severityFor } from "./log-directives.js";
export {
  flushLogger,
  initLogger,
  initLoggerFromConfig,
  isLoggerInitialized,
  parseRotation,
} from "./logger-state.js";
export {
  MIN_SECRET_CHARS,
  REDACTED,
  redactSecrets,
  registerSecret,
  SecretRegistry,
  secretRegistry,
} from "./secret-registry.js";
export type {
  DebugSection,
  Logger,
  LoggerOptions,
  LogMessage,
  LogMeta,
  LogStream,
  Rotation,
} from "./types.js";
