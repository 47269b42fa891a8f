import { ensureRedisServer } from "./ensure-redis-server.js";

/**
 * vitest `globalSetup` for packages whose tests start `redis-server`: finds it, or installs it once
 * before any test runs, so no test's timeout has to cover an install. Add
 * `globalSetup: ["@fabricatio/test-services/redis-setup"]` to the package's vitest config.
 * @throws {MissingServiceError} when it is missing and cannot be installed here; the run stops at once
 */
export default async function setup(): Promise<void> {
  await ensureRedisServer();
}
