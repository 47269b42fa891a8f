import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Tests start real MCP servers as child processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
