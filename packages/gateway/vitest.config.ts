import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Every integration test talks HTTP to real loopback servers (and some to child processes
    // and a redis-server): a loaded CI machine must not fail them on vitest's 5 s default.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
