import { type EnsureProgramOptions, ensureProgram, type ProgramSpec } from "./ensure-program.js";

/** `redis-server`: the Debian package of the same name, Homebrew's `redis`. */
export const REDIS_SERVER: ProgramSpec = {
  program: "redis-server",
  aptPackage: "redis-server",
  brewFormula: "redis",
};

/**
 * The path of `redis-server`, installed first with apt-get when this process is root and it is
 * missing (see {@link ensureProgram}).
 * @throws {MissingServiceError} with the exact command to run when it cannot be installed here
 */
export function ensureRedisServer(options: EnsureProgramOptions = {}): Promise<string> {
  return ensureProgram(REDIS_SERVER, options);
}
