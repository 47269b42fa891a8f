import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "@fabricatio/config";
import { initLogger } from "@fabricatio/logger";
import { type MockLlmServer, startMockLlm } from "@fabricatio/mock-llm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLLM, type FabricatioLLM } from "../src/index.js";

let mock: MockLlmServer;
let llm: FabricatioLLM;
const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-retry-after-"));

beforeAll(async () => {
  initLogger({ level: "ERROR", stream: { write() {} } });
  mock = await startMockLlm();
  const config = loadConfig({
    cwd: temp,
    env: {},
    homeDir: temp,
    overrides: {
      llm: { send_to: "chat" },
      routing: {
        providers: [
          { ptype: "OpenAICompatible", name: "mock", key: "sk-test", base_url: mock.url },
        ],
        completion_deployments: [{ id: "mock/model-a", group: "chat" }],
        retry_max_retries: 2,
        retry_initial_backoff_ms: 1,
        retry_after_max_s: 5,
      },
    },
  });
  llm = createLLM({ config, cache: false, env: {} });
});

afterAll(async () => {
  await llm.close();
  await mock.close();
  rmSync(temp, { recursive: true, force: true });
});

describe("[routing] retry_after_max_s", () => {
  it("fails at once on a Retry-After beyond it, and still waits for one within it", async () => {
    mock.script({ type: "error", status: 429, retryAfterS: 10 });
    const started = performance.now();
    await expect(llm.ask("too long")).rejects.toMatchObject({
      code: "THRYD_RATE_LIMIT_EXCEEDED",
      waitTimeMs: 10_000,
      retryAfterMaxMs: 5_000,
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(mock.requestCount).toBe(1);

    mock.script({ type: "error", status: 429, retryAfterS: 0.2 });
    await expect(llm.ask("short wait")).resolves.toBe("echo: short wait");
    expect(mock.requestCount).toBe(3);
  }, 15_000);
});
