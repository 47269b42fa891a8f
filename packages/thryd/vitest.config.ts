import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Also a JSON report: turbo keeps it as the test task's output, and .ci/run adds them up.
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
    // redis-server found, or installed once, before any test starts it.
    globalSetup: ["@fabricatio/test-services/redis-setup"],
    // Explicit, generous limits instead of vitest's 5 s default. Most files under test/ start a
    // mock LLM server, a redis-server or worker processes, and on two cores shared with turbo's
    // other tasks a file's first token count (building the o200k_base table), its first provider
    // module load or a server start has taken longer than 5 s (router-features, router-cache,
    // providers, memory-rate-limit-store, router-tracing, cache-sqlite, completion-models,
    // gemini-provider). A real hang still fails, at 30 s; tests that run for seconds by design
    // (the real 2 s rate-limit windows, multi-process runs) set their own, longer limits.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
