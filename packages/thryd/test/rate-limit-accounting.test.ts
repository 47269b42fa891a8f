import { createServer } from "node:net";
import type { MockBehaviour } from "@fabricatio/mock-llm";
import { describe, expect, it } from "vitest";
import {
  AbortedError,
  createCompletionRouter,
  NetworkError,
  OpenAICompatibleProvider,
  TimeoutError,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();

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

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: unknown) =>
      error instanceof TimeoutError
        ? "timeout"
        : error instanceof AbortedError
          ? "aborted"
          : `other: ${(error as Error).message}`,
  );

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
    const router = createCompletionRouter().addProvider(
      new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
    );
    router.deploy("g", "mock/m", { rpm: RPM, windowS: WINDOW_MS / 1000 });
    // The first wave is slow (answered at 250 ms, or too late for the 300 ms limit), so its
    // aborted callers surely cancel requests already sent; later arrivals mix quick answers,
    // hangs and answers past the limit.
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
    mock().script(
      ...Array.from({ length: RPM }, (_, index) => firstWave[index % firstWave.length]!),
      ...Array.from({ length: 200 }, (_, index) => later[index % later.length]!),
    );
    const options = (abortAfterMs?: number) => {
      if (abortAfterMs === undefined) return { timeoutMs: 300, maxWaitMs: 60_000 };
      const controller = new AbortController();
      setTimeout(() => controller.abort(), abortAfterMs);
      return { timeoutMs: 300, maxWaitMs: 60_000, signal: controller.signal };
    };
    const calls: Promise<string>[] = [];
    // Wave 1 fills the window at once; every fifth caller aborts while its request is out.
    for (let index = 0; index < RPM; index++) {
      calls.push(
        outcome(
          router.invoke("g", { message: `a${index}` }, options(index % 5 === 0 ? 100 : undefined)),
        ),
      );
    }
    // Wave 2 queues for room; every fourth caller gives up at some point, most while queued.
    for (let index = 0; index < 100; index++) {
      calls.push(
        outcome(
          router.invoke(
            "g",
            { message: `b${index}` },
            options(index % 4 === 0 ? 200 + index * 60 : undefined),
          ),
        ),
      );
    }
    const outcomes = await Promise.all(calls);
    const count = (kind: string) => outcomes.filter((value) => value === kind).length;
    expect(outcomes.filter((value) => value.startsWith("other"))).toEqual([]);
    expect(count("ok")).toBeGreaterThan(20);
    expect(count("timeout")).toBeGreaterThan(20);
    expect(count("aborted")).toBeGreaterThanOrEqual(RPM / 5);

    const arrivals = mock().requests.map((request) => request.receivedAt);
    // Every answered or timed-out call reached the server; aborted ones only if sent first.
    expect(arrivals.length).toBeGreaterThanOrEqual(count("ok") + count("timeout"));
    expect(arrivals.length).toBeGreaterThan(RPM);
    expect(busiestWindow(arrivals, WINDOW_MS)).toBeLessThanOrEqual(RPM);
  }, 60_000);

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
