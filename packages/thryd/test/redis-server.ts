import { type RedisServer, startRedisServer } from "@fabricatio/mock-llm";
import { afterAll, beforeAll } from "vitest";

export type { RedisServer };
export { startRedisServer };

/** One `redis-server` for the test file, started in `beforeAll` and stopped in `afterAll`. */
export function useRedisServer(): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
  }, 20_000);
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error("redis-server is not running");
    return server;
  };
}
