import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Config, loadConfig } from "@fabricatio/config";
import { initLogger } from "@fabricatio/logger";
import { type MockLlmServer, startMockLlm } from "@fabricatio/mock-llm";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createGateway, type Gateway } from "../src/index.js";

/** The provider key the gateway sends upstream; no answer may ever show it. */
export const PROVIDER_KEY = "sk-provider-secret-0123456789";

/** A config whose routing points at `mockUrl`: groups `fast` (chat), `embed`, `rank`. */
export function configFor(
  mockUrl: string,
  overrides: { gateway?: Record<string, unknown>; routing?: Record<string, unknown> } = {},
  extra: Record<string, unknown> = {},
): Config {
  const home = mkdtempSync(path.join(tmpdir(), "gateway-home-"));
  try {
    return loadConfig({
      cwd: home,
      env: {},
      homeDir: home,
      platform: "linux",
      dotenv: false,
      overrides: {
        routing: {
          providers: [
            { ptype: "OpenAICompatible", name: "mock", key: PROVIDER_KEY, base_url: mockUrl },
          ],
          completion_deployments: [{ id: "mock/gpt-mock", group: "fast" }],
          embedding_deployments: [{ id: "mock/embed-mock", group: "embed" }],
          reranker_deployments: [{ id: "mock/rerank-mock", group: "rank" }],
          ...overrides.routing,
        },
        gateway: { port: 0, ...overrides.gateway },
        ...extra,
      },
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** A started gateway in front of a mock, with an `openai` client pointed at it. */
export interface GatewayFixture {
  mock: MockLlmServer;
  gateway: Gateway;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** An `openai` SDK client on `<url>/v1`, no retries. */
  client: (apiKey?: string) => OpenAI;
}

/**
 * Starts a mock and a gateway in `beforeAll` (with generous timeouts), closes them in
 * `afterAll`, and resets the mock before each test.
 */
export function useGateway(
  overrides: Parameters<typeof configFor>[1] = {},
  extra: Parameters<typeof configFor>[2] = {},
): () => GatewayFixture {
  let fixture: GatewayFixture | undefined;
  beforeAll(async () => {
    // Access lines of every request would bury the test report; warnings still show.
    initLogger({ level: "WARN" });
    const mock = await startMockLlm();
    const gateway = await createGateway({ config: configFor(mock.url, overrides, extra), env: {} });
    const { url } = await gateway.listen({ port: 0, host: "127.0.0.1" });
    fixture = {
      mock,
      gateway,
      url,
      client: (apiKey = "unused") =>
        new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0, timeout: 20_000 }),
    };
  }, 30_000);
  afterAll(async () => {
    await fixture?.gateway.close({ timeoutMs: 1_000 });
    await fixture?.mock.close();
  }, 30_000);
  beforeEach(() => fixture?.mock.reset());
  return () => {
    if (!fixture) throw new Error("the gateway fixture is not started");
    return fixture;
  };
}
