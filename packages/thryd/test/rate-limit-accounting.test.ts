import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { lastUserText, type MockBehaviour, startMockLlm } from "@fabricatio/mock-llm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AbortedError,
  createCompletionRouter,
  NetworkError,
  OpenAICompatibleProvider,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();
const run = promisify(execFile);
const worker = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "workers",
  "timeouts-and-aborts.mjs",
);

beforeAll(() => {
  // The load runs in a plain Node process importing the built package, as a user's would.
  if (!existsSync(path.join(path.dirname(worker), "..", "..", "dist", "index.js"))) {
    throw new Error("packages/thryd/dist is missing; run `pnpm --filter @fabricatio/thryd build`");
  }
});

const RPM = 50;
const WINDOW_MS = 2_000;

/** The most arrivals the server logged in any window of `windowMs`. */
function busiestWindow(arrivals: readonly number[], windowMs: number): number {
  const sorted = [...arrivals].sort((left, right) => left - right);
  let busiest = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    busiest = Math.max(busiest, end - start + 1);
  }
  return busiest;
}

/** A port with nothing listening: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("What counts against a rate limit", () => {
  it("never lets the provider see more than rpm requests in one window, timeouts and aborts mixed in", async () => {
    // A server of its own: stragglers of this burst must not land in another test's log.
    const server = await startMockLlm();
    try {
      // The first wave is slow (answered at 250 ms, or too late for the 300 ms limit), so its
      // aborted callers surely cancel requests already sent; later arrivals mix quick answers,
      // hangs and answers past the limit. The first `ok` answers the worker's warm-up.
      const firstWave: MockBehaviour[] = [
        { type: "hang" },
        { type: "ok", latencyMs: 250 },
        { type: "ok", latencyMs: 450 },
      ];
      const later: MockBehaviour[] = [
        { type: "ok", latencyMs: 10 },
        { type: "hang" },
        { type: "ok", latencyMs: 450 },
        { type: "ok", latencyMs: 100 },
      ];
      server.script(
        { type: "ok" },
        ...Array.from({ length: RPM }, (_, index) => firstWave[index % firstWave.length]!),
        ...Array.from({ length: 4 * RPM }, (_, index) => later[index % later.length]!),
      );
      const { stdout } = await run(
        process.execPath,
        [worker, server.url, String(RPM), String(WINDOW_MS / 1000), "300"],
        { timeout: 60_000 },
      );
      const outcomes = JSON.parse(stdout) as string[];
      const count = (kind: string) => outcomes.filter((value) => value === kind).length;
      expect(outcomes.filter((value) => value.startsWith("other"))).toEqual([]);
      expect(outcomes).toHaveLength(3 * RPM);
      expect(count("ok")).toBeGreaterThan(5);
      expect(count("timeout")).toBeGreaterThan(5);
      expect(count("aborted")).toBeGreaterThanOrEqual(RPM / 5);

      const arrivals = server.requests
        .filter((request) => /^[ab]\d+$/.test(lastUserText(request.body)))
        .map((request) => request.receivedAt);
      // Every answered call reached the server; timed-out and aborted ones only if sent first
      // (on a loaded machine a call can time out still waiting for its connection).
      expect(arrivals.length).toBeGreaterThanOrEqual(count("ok"));
      expect(arrivals.length).toBeGreaterThan(RPM);
      expect(busiestWindow(arrivals, WINDOW_MS)).toBeLessThanOrEqual(RPM);
    } finally {
      await server.close();
    }
  }, 90_000);

  it("keeps the quota of a request the caller aborted after it was sent", async () => {
    const router = createCompletionRouter().addProvider(
      new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
    );
    const deployment = router.deploy("g", "mock/m", { rpm: 5 });
    mock().script({ type: "hang" });
    const controller = new AbortController();
    const pending = router.invoke("g", { message: "x" }, { signal: controller.signal });
    while (mock().requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(deployment.limiter?.usage(Date.now()).requests).toBe(1);
  }, 15_000);

  it("keeps the quota of a stream its consumer stopped early", async () => {
    const router = createCompletionRouter().addProvider(
      new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
    );
    const deployment = router.deploy("g", "mock/m", { rpm: 5 });
    mock().script({ type: "ok", content: "one two three four five six" });
    for await (const _ of router.stream("g", { message: "x" })) break;
    expect(mock().requestCount).toBe(1);
    expect(deployment.limiter?.usage(Date.now()).requests).toBe(1);
  }, 15_000);

  it("gives the quota back when the request never left: a refused connection", async () => {
    const port = await closedPort();
    const router = createCompletionRouter().addProvider(
      new OpenAICompatibleProvider({
        name: "nowhere",
        apiKey: "sk-mock",
        baseUrl: `http://127.0.0.1:${port}/v1`,
      }),
    );
    const deployment = router.deploy("g", "nowhere/m", { rpm: 1 });
    await expect(router.invoke("g", { message: "x" })).rejects.toBeInstanceOf(NetworkError);
    expect(deployment.limiter?.usage(Date.now()).requests).toBe(0);
    await expect(router.invoke("g", { message: "y" }, { maxWaitMs: 0 })).rejects.toBeInstanceOf(
      NetworkError,
    );
    expect(deployment.limiter?.usage(Date.now()).requests).toBe(0);
  }, 15_000);

  it("charges a request that failed with an HTTP error for its window instead of holding it forever", async () => {
    let nowMs = Date.now();
    const router = createCompletionRouter({ now: () => nowMs }).addProvider(
      new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
    );
    const deployment = router.deploy("g", "mock/m", { rpm: 1, windowS: 60 });
    mock().script({ type: "error", status: 500 });
    await expect(router.invoke("g", { message: "x" })).rejects.toMatchObject({ status: 500 });
    expect(deployment.waitMs(0, nowMs)).toBeGreaterThan(0);
    nowMs += 61_000;
    expect(deployment.limiter?.usage(nowMs).requests).toBe(0);
    await expect(router.invoke("g", { message: "y" }, { maxWaitMs: 0 })).resolves.toMatchObject({
      content: "echo: y",
    });
  }, 15_000);
});

describe("The sent signal of the HTTP layer (CallOptions.onSent)", () => {
  it("fires once per request the server receives, before the answer", async () => {
    const provider = new OpenAICompatibleProvider({
      name: "mock",
      apiKey: "sk-mock",
      baseUrl: mock().url,
    });
    let sent = 0;
    let sentBeforeAnswer = false;
    mock().script({ type: "ok", latencyMs: 50 });
    const answer = provider.postJson(
      "chat/completions",
      { messages: [] },
      {
        onSent: () => {
          sent++;
        },
      },
    );
    while (mock().requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    sentBeforeAnswer = sent === 1;
    await answer;
    expect(sentBeforeAnswer).toBe(true);
    expect(sent).toBe(1);
  }, 15_000);

  it("never fires for a refused connection or a request aborted before it went out", async () => {
    const port = await closedPort();
    const provider = new OpenAICompatibleProvider({
      name: "nowhere",
      apiKey: "sk-mock",
      baseUrl: `http://127.0.0.1:${port}/v1`,
    });
    let sent = 0;
    const onSent = () => {
      sent++;
    };
    await expect(provider.postJson("chat/completions", {}, { onSent })).rejects.toBeInstanceOf(
      NetworkError,
    );
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      provider.postJson("chat/completions", {}, { onSent, signal: aborted.signal }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(sent).toBe(0);
  }, 15_000);
});
