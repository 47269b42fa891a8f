import { connect } from "node:net";
import { type MockLlmServer, startMockLlm } from "@fabricatio/mock-llm";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process.js";

let mock: MockLlmServer;
let gateway: GatewayProcess | undefined;
beforeAll(async () => {
  mock = await startMockLlm();
}, 30_000);
afterAll(() => mock.close());
afterEach(async () => {
  await gateway?.kill();
  mock.reset();
});

const overrides = (gatewaySection: Record<string, unknown>) => ({
  routing: {
    providers: [
      { ptype: "OpenAICompatible", name: "mock", key: "sk-mock-123456", base_url: mock.url },
    ],
    completion_deployments: [{ id: "mock/gpt-mock", group: "fast" }],
  },
  gateway: gatewaySection,
});

/** Resolves once nothing accepts connections on the gateway's port. */
async function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

const client = (url: string) =>
  new OpenAI({ apiKey: "unused", baseURL: `${url}/v1`, maxRetries: 0, timeout: 30_000 });

describe("graceful shutdown on SIGTERM", () => {
  it("stops accepting, lets the stream in flight finish whole, then exits 0", async () => {
    gateway = await startGatewayProcess(overrides({ shutdown_timeout_s: 30 }));
    const content = "0123456789".repeat(4);
    mock.script({ type: "ok", content, chunkIntervalMs: 100 });
    const stream = await client(gateway.url).chat.completions.create({
      model: "fast",
      messages: [{ role: "user", content: "drain me" }],
      stream: true,
    });
    let text = "";
    let signalled = false;
    let refusedDuringStream = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (!signalled && text.length > 0) {
        signalled = true;
        gateway.child.kill("SIGTERM");
      } else if (signalled && !refusedDuringStream) {
        refusedDuringStream = await refusesConnections(gateway.url);
      }
    }
    expect(text).toBe(content);
    expect(refusedDuringStream).toBe(true);
    expect(await gateway.exited).toBe(0);
    expect(gateway.output()).toContain('{"closed":true}');
    expect(mock.abandonedCount).toBe(0);
  }, 60_000);

  it("aborts a stream still running at the deadline with an error frame, cancels upstream, exits 0", async () => {
    gateway = await startGatewayProcess(overrides({ shutdown_timeout_s: 1 }));
    mock.script({ type: "ok", content: "y".repeat(200), chunkIntervalMs: 100 });
    const stream = await client(gateway.url).chat.completions.create({
      model: "fast",
      messages: [{ role: "user", content: "too long" }],
      stream: true,
    });
    let text = "";
    const started = Date.now();
    const consumed = (async () => {
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        if (text.length === 4) gateway?.child.kill("SIGTERM");
      }
    })();
    await expect(consumed).rejects.toThrow(/shut down/);
    expect(text.length).toBeLessThan(200);
    expect(await gateway.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    await expect.poll(() => mock.abandonedCount, { timeout: 10_000 }).toBe(1);
  }, 60_000);
});
