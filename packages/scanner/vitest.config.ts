import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Also a JSON report: turbo keeps it as the test task's output, and .ci/run adds them up.
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
    // Python is resolved and asked once per run (its facts and packaging's answers), not per test.
    globalSetup: ["test/global-setup.ts"],
    // Several tests start the real interpreter or a shell script: well under a second alone, but
    // several seconds under a full parallel `pnpm test` on two cores or through a pyenv shim.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
