export type { LevelName, LogLevel } from "./levels.js";
export { LOG_LEVELS } from "./levels.js";
export { getLogger, setRootLogger } from "./logger.js";
export type { Logger, LogMessage, LogMeta } from "./types.js";
