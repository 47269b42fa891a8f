import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Each file compiles a project and starts processes: one file at a time keeps the machine's
    // cores for the snippets themselves.
    fileParallelism: false,
    // Also a JSON report: turbo keeps it as the test task's output, and .ci/run adds them up.
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
  },
});
