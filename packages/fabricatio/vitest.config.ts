import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Also a JSON report: turbo keeps it as the test task's output, and .ci/run adds them up.
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
    // redis-server found (or installed once) before any test starts it, and the CLI's dist/
    // rebuilt when a source is newer, so cli.test.ts never runs the code of an earlier edit.
    globalSetup: [
      "@fabricatio/test-services/redis-setup",
      "@fabricatio/test-services/fresh-build-setup",
    ],
    // The CLI tests spawn the built CLI, which loads every package: about a second a run.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
