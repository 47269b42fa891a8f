import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startMockLlm } from "@fabricatio/mock-llm";
import { beforeAll, describe, expect, it } from "vitest";
import { useRedisServer } from "./redis-server.js";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const worker = (name: string) => path.join(here, "workers", name);
const redis = useRedisServer();

const WORKERS = 4;
const RPM = 60;
const WINDOW_S = 2;
const DURATION_MS = 5_000;

beforeAll(() => {
  // The workers are plain Node processes importing the built package, as a user's would.
  if (!existsSync(path.join(here, "..", "dist", "index.js"))) {
    throw new Error("packages/thryd/dist is missing; run `pnpm --filter @fabricatio/thryd build`");
  }
});

// The most requests whose arrival times fall in any half-open window of `windowMs`.
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((left, right) => left - right);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

async function runWorker(name: string, args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [worker(name), ...args], { timeout: 60_000 });
  return JSON.parse(stdout);
}

// Lines a child prints, one promise per line, in order.
function lineReader(child: ChildProcessWithoutNullStreams) {
  let buffer = "";
  const waiting: ((line: string) => void)[] = [];
  const ready: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += String(chunk);
    for (let at = buffer.indexOf("\n"); at >= 0; at = buffer.indexOf("\n")) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      const next = waiting.shift();
      if (next) next(line);
      else ready.push(line);
    }
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const line = ready.shift();
      if (line !== undefined) return resolve(line);
      waiting.push(resolve);
      child.once("exit", (code) => reject(new Error(`worker exited with code ${code}`)));
    });
}

describe("Redis shared across processes", () => {
  it(`keeps ${WORKERS} processes together within one deployment's RPM in every window`, async () => {
    const mock = await startMockLlm({ record: true });
    try {
      const prefix = `multiprocess:${Date.now()}:`;
      const workers = Array.from({ length: WORKERS }, () => {
        const child = spawn(process.execPath, [
          worker("hammer.mjs"),
          redis().url,
          mock.url,
          prefix,
          String(DURATION_MS),
          String(RPM),
          String(WINDOW_S),
        ]);
        child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
        return { child, nextLine: lineReader(child) };
      });
      for (const { nextLine } of workers) expect(await nextLine()).toBe("ready");
      mock.reset();
      // Every worker has loaded and connected: they all start together, once each has surely
      // read its start line (a loaded machine can take hundreds of ms to deliver it).
      const startAtMs = Date.now() + 1_000;
      for (const { child } of workers) child.stdin.end(`${startAtMs}\n`);
      const results = (await Promise.all(
        workers.map(async ({ nextLine }) => JSON.parse(await nextLine())),
      )) as { sent: number }[];
      const times = mock.requests.map((request) => request.receivedAt);
      const sent = results.reduce((sum, result) => sum + result.sent, 0);
      expect(times).toHaveLength(sent);
      // Every worker got a share: the quota really is contended across processes.
      for (const result of results) expect(result.sent).toBeGreaterThan(0);
      expect(busiestWindow(times, WINDOW_S * 1000)).toBeLessThanOrEqual(RPM);
      // And it is used, not just never exceeded: at least half of a steady full rate.
      const steadyMaximum = (RPM * DURATION_MS) / (WINDOW_S * 1000);
      expect(sent).toBeGreaterThanOrEqual(steadyMaximum / 2);
    } finally {
      await mock.close();
    }
  }, 60_000);

  it("serves a cache entry written by one process to another", async () => {
    const mock = await startMockLlm({ record: true });
    try {
      const namespace = `multiprocess-cache-${Date.now()}`;
      const args = [redis().url, mock.url, namespace, "what is shared?"];
      const first = await runWorker("cache-once.mjs", args);
      expect(mock.requestCount).toBe(1);
      const second = await runWorker("cache-once.mjs", args);
      expect(second).toEqual(first);
      expect(mock.requestCount).toBe(1);
    } finally {
      await mock.close();
    }
  }, 60_000);
});
