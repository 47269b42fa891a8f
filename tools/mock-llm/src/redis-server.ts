// Redis belongs to the shared test services; re-exported here for the tests that import it from the mock.
export type { RedisServer } from "@fabricatio/test-services";
export { freePort, startRedisServer } from "@fabricatio/test-services";
