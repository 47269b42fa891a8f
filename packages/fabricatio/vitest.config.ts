import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The CLI tests spawn the built CLI, which loads every package: about a second a run.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
