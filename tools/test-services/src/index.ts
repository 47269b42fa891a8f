export type { EnsureFreshBuildOptions } from "./ensure-fresh-build.js";
export { ensureFreshBuild } from "./ensure-fresh-build.js";
export type { EnsureProgramOptions, ProgramSpec } from "./ensure-program.js";
export { ensureProgram, installCommand } from "./ensure-program.js";
export { ensureRedisServer, REDIS_SERVER } from "./ensure-redis-server.js";
export { findOnPath } from "./find-on-path.js";
export { MissingServiceError } from "./missing-service-error.js";
export type { RedisServer } from "./redis-server.js";
export { freePort, startRedisServer } from "./redis-server.js";
