import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Also a JSON report: turbo keeps it as the test task's output, and .ci/run adds them up.
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
    // A test runs the built CLI: rebuild dist/ first when a source is newer.
    globalSetup: ["@fabricatio/test-services/fresh-build-setup"],
    // Each test compiles whole packages with the TypeScript compiler: seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
