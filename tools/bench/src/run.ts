// The harness behind `pnpm bench` (tools/bench): every contender in its own child process, the
// mock servers in another, the Portkey gateway in a third. Writes BENCHMARKS.md and the charts
// under docs/bench/ at the repository root.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, type as osType, release, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeCharts } from "./charts.js";
import { CONTENDERS, type ContenderName, type ContenderSetup } from "./contenders.js";
import { type CpuProfile, mergeSelfTimes, type SelfTime, selfTimes } from "./cpu-profile.js";
import { openStreams, rssOf } from "./open-streams.js";
import { startPortkeyGateway } from "./portkey-gateway.js";
import { renderReport } from "./report.js";
import type { BenchResults, CellSummary } from "./results.js";
import type { LoadResult, LoadSize } from "./run-load.js";
import { median } from "./stats.js";
import { benchTokenCounting } from "./token-bench.js";
import { maxInWindow } from "./window-accuracy.js";
import { startWorker, type Worker } from "./worker.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, "..");
const root = path.resolve(packageDir, "../..");
const clientModule = path.join(here, "client-worker.js");
// BENCH_QUICK=1 shrinks every run, to try the harness out; the committed report is a full run.
const quick = process.env.BENCH_QUICK === "1";
const ROUNDS = quick ? 2 : 5;
// Every contender gets the same time per run, whatever its speed (see runLoad).
const RUN_MS = quick ? 300 : 1_500;
const LATENCIES_MS = [0, 20];
const CONCURRENCIES = [1, 64, 256];
const MEMORY_REQUESTS = quick ? 1_000 : 10_000;
const RATE_LIMIT = { quota: 100, windowS: 1, requests: quick ? 250 : 500, concurrency: 64 };
const PROFILE_REQUESTS = quick ? 2_000 : 20_000;
const PROFILE_ROUNDS = 2;
// Streams held open at once in each gateway for the memory measure, and how they are paced.
const OPEN_STREAMS = 1_000;
const STREAM_CONTENT = "x".repeat(400);
const STREAM_CHUNK_INTERVAL_MS = 500;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

function versionOf(name: string): string {
  try {
    const file = path.join(packageDir, "node_modules", name, "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((entry) => entry.startsWith("model name"));
    if (line) return line.split(":")[1]!.trim();
  } catch {}
  return cpus()[0]?.model ?? "unknown";
}

function startClient(name: ContenderName, setup: ContenderSetup, execArgv: string[] = []) {
  return startWorker(clientModule, [name, JSON.stringify(setup)], execArgv);
}

async function runOn(worker: Worker, concurrency: number, size: LoadSize): Promise<LoadResult> {
  const reply = await worker.request<{ result: LoadResult }>({ type: "run", concurrency, size });
  return reply.result;
}

function summarise(rounds: LoadResult[]): CellSummary {
  return {
    rate: Math.max(...rounds.map((round) => round.rate)),
    p50Us: median(rounds.map((round) => round.p50Us)),
    p99Us: median(rounds.map((round) => round.p99Us)),
    cpuUsPerRequest: Math.min(...rounds.map((round) => round.cpuUsPerRequest)),
    rounds,
  };
}

const startedAt = new Date();
const mock = await startWorker(path.join(here, "mock-worker.js"), []);
const benchUrl = String(mock.hello.benchUrl);
const recordingUrl = String(mock.hello.recordingUrl);
const failures: BenchResults["failures"] = {};
const gateway = await startPortkeyGateway().catch((error: unknown) => {
  failures.portkey = `the gateway did not start: ${reason(error)}`;
  return undefined;
});
const ours = await startWorker(path.join(here, "gateway-worker.js"), [benchUrl]).catch(
  (error: unknown) => {
    failures.gateway = `the gateway did not start: ${reason(error)}`;
    return undefined;
  },
);
const floor = await startWorker(path.join(here, "proxy-floor-worker.js"), [benchUrl]).catch(
  (error: unknown) => {
    failures["proxy-floor"] = `the bare proxy did not start: ${reason(error)}`;
    return undefined;
  },
);
const setup: ContenderSetup = {
  mockUrl: benchUrl,
  proxyFloorUrl: floor ? String(floor.hello.url) : undefined,
  gatewayUrl: gateway?.origin,
  fabricatioGatewayUrl: ours ? String(ours.hello.url) : undefined,
};
const mockCount = async () => (await mock.request<{ count: number }>({ type: "count" })).count;
const setLatency = (latencyMs: number) => mock.request({ type: "latency", latencyMs });

const cells: BenchResults["cells"] = {};
const errorNotes: BenchResults["callErrors"] = {};
try {
  // Throughput and latency: all contenders alive at once, alternated within every round.
  const workers = new Map<ContenderName, Worker>();
  for (const name of CONTENDERS) {
    if (failures[name]) continue;
    try {
      workers.set(name, await startClient(name, setup));
    } catch (error) {
      failures[name] = reason(error);
    }
  }
  for (const latencyMs of LATENCIES_MS) {
    await setLatency(latencyMs);
    const raw: Record<number, Partial<Record<ContenderName, LoadResult[]>>> = {};
    for (const [name, worker] of workers) {
      log(`warm-up ${name} at ${latencyMs} ms`);
      await runOn(worker, 64, { durationMs: RUN_MS });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const concurrency of CONCURRENCIES) {
        const names = [...workers.keys()];
        // Rotate the order every round so no contender always runs first or last.
        const order = names.map((_, index) => names[(index + round) % names.length]!);
        for (const name of order) {
          const worker = workers.get(name);
          if (!worker) continue;
          try {
            const before = name === "thryd-cache-hit" ? await mockCount() : 0;
            const result = await runOn(worker, concurrency, { durationMs: RUN_MS });
            if (result.errors > 0) {
              const note = errorNotes[name] ?? { calls: 0, first: result.firstError ?? "" };
              note.calls += result.errors;
              errorNotes[name] = note;
            }
            if (result.total === 0) throw new Error(`every call failed: ${result.firstError}`);
            if (name === "thryd-cache-hit" && (await mockCount()) !== before) {
              throw new Error("a cache-hit run reached the upstream");
            }
            const byName = raw[concurrency] ?? {};
            raw[concurrency] = byName;
            const rounds = byName[name] ?? [];
            rounds.push(result);
            byName[name] = rounds;
            log(
              `${latencyMs} ms c=${concurrency} round ${round + 1}: ${name} ${result.rate.toFixed(0)} req/s`,
            );
          } catch (error) {
            failures[name] = `failed at ${latencyMs} ms, c=${concurrency}: ${reason(error)}`;
            workers.delete(name);
            await worker.stop({ type: "exit" });
          }
        }
      }
    }
    cells[latencyMs] = {};
    for (const concurrency of CONCURRENCIES) {
      cells[latencyMs][concurrency] = {};
      for (const [name, rounds] of Object.entries(raw[concurrency] ?? {})) {
        if (workers.has(name as ContenderName) && rounds.length > 0) {
          cells[latencyMs][concurrency][name as ContenderName] = summarise(rounds);
        }
      }
    }
  }
  for (const worker of workers.values()) await worker.stop({ type: "exit" });

  // Memory: a fresh process per contender, so the RSS is its own.
  await setLatency(0);
  const memory: BenchResults["memory"] = {};
  for (const name of CONTENDERS) {
    if (failures[name]) continue;
    try {
      const worker = await startClient(name, setup);
      const result = await runOn(worker, 64, { total: MEMORY_REQUESTS });
      memory[name] = { readyBytes: Number(worker.hello.rssBytes), afterBytes: result.rssBytes };
      await worker.stop({ type: "exit" });
      log(`memory ${name}: ${(result.rssBytes / 2 ** 20).toFixed(1)} MiB`);
    } catch (error) {
      log(`memory ${name} failed: ${reason(error)}`);
    }
  }

  // Memory of open streams: each gateway holds OPEN_STREAMS paced streams to the mock at once;
  // its RSS (read from /proc, the same way for both) is compared with the idle one just before.
  const streams: BenchResults["streams"] = {
    count: OPEN_STREAMS,
    chunkIntervalMs: STREAM_CHUNK_INTERVAL_MS,
    gateways: {},
    failures: {},
  };
  await mock.request({
    type: "slow-streams",
    content: STREAM_CONTENT,
    chunkIntervalMs: STREAM_CHUNK_INTERVAL_MS,
  });
  const streamTargets: {
    name: "gateway" | "portkey";
    origin: string | undefined;
    pid: number | undefined;
    headers: Record<string, string>;
  }[] = [
    {
      name: "gateway",
      origin: setup.fabricatioGatewayUrl,
      pid: Number(ours?.hello.pid) || undefined,
      headers: {},
    },
    {
      name: "portkey",
      origin: gateway?.origin,
      pid: gateway?.pid,
      headers: { "x-portkey-provider": "openai", "x-portkey-custom-host": benchUrl },
    },
  ];
  for (const target of streamTargets) {
    if (!target.origin) continue;
    try {
      const idleBytes = rssOf(target.pid);
      const held = await openStreams({
        origin: target.origin,
        path: "/v1/chat/completions",
        headers: target.headers,
        count: OPEN_STREAMS,
        timeoutMs: 60_000,
      });
      const openBytes = rssOf(target.pid);
      await held.close();
      if (idleBytes === undefined || openBytes === undefined) {
        throw new Error("no /proc/<pid>/status to read the RSS from");
      }
      streams.gateways[target.name] = { idleBytes, openBytes };
      log(`streams ${target.name}: +${((openBytes - idleBytes) / 2 ** 20).toFixed(1)} MiB`);
    } catch (error) {
      streams.failures[target.name] = reason(error);
      log(`streams ${target.name} failed: ${reason(error)}`);
    }
  }
  await setLatency(0);

  // Rate-limit accuracy: thryd is the only contender with an RPM limit (see the report).
  const rateLimit: BenchResults["rateLimit"] = {
    ...RATE_LIMIT,
    upstreamLatencyMs: 20,
    accuracy: {},
    busiestWindow: {},
    durationS: {},
    unsupported: {
      raw: "a bare HTTP call; no limiter",
      openai: "no client-side rate limit option (only retries on 429)",
      "ai-sdk": "no rate limit option in generateText or the provider",
      litellm: "the npm port has no router and no RPM/TPM limits",
      portkey:
        "the open-source gateway has no rate limits (they are a feature of Portkey's hosted service)",
      gateway:
        "the gateway's limits are thryd's (the row above); shared across processes, see packages/gateway/test/scale-out.test.ts",
      "proxy-floor": "a bare pass-through proxy; no limiter",
    },
  };
  await setLatency(rateLimit.upstreamLatencyMs);
  await mock.request({ type: "arrivals" });
  await setLatency(rateLimit.upstreamLatencyMs);
  try {
    const worker = await startClient("thryd", {
      mockUrl: recordingUrl,
      rpm: RATE_LIMIT.quota,
      windowS: RATE_LIMIT.windowS,
    });
    const result = await runOn(worker, RATE_LIMIT.concurrency, { total: RATE_LIMIT.requests });
    await worker.stop({ type: "exit" });
    const { arrivals } = await mock.request<{ arrivals: number[] }>({ type: "arrivals" });
    const busiest = maxInWindow(arrivals, RATE_LIMIT.windowS * 1000);
    rateLimit.accuracy.thryd = busiest / RATE_LIMIT.quota;
    rateLimit.busiestWindow.thryd = busiest;
    rateLimit.durationS.thryd = result.total / result.rate;
    log(`rate limit thryd: busiest window ${busiest} of ${RATE_LIMIT.quota}`);
  } catch (error) {
    log(`rate limit failed: ${reason(error)}`);
  }

  // CPU profiles of raw and thryd at the hardest cell, to say where thryd's time goes.
  await setLatency(0);
  let profile: BenchResults["profile"];
  const profileDir = mkdtempSync(path.join(tmpdir(), "bench-prof-"));
  try {
    const profiles = { raw: [] as SelfTime[][], thryd: [] as SelfTime[][] };
    const profiled = {
      raw: await startClient("raw", setup),
      thryd: await startClient("thryd", setup),
    };
    for (const worker of Object.values(profiled)) {
      await runOn(worker, 256, { total: Math.round(PROFILE_REQUESTS / 4) });
    }
    // Alternate the two, as in the throughput rounds, and add the profiles up.
    for (let round = 0; round < PROFILE_ROUNDS; round++) {
      for (const name of ["raw", "thryd"] as const) {
        const file = path.join(profileDir, `${name}-${round}.cpuprofile`);
        await profiled[name].request({
          type: "profile",
          concurrency: 256,
          size: { total: PROFILE_REQUESTS / PROFILE_ROUNDS },
          file,
        });
        profiles[name].push(selfTimes(JSON.parse(readFileSync(file, "utf8")) as CpuProfile));
      }
    }
    for (const worker of Object.values(profiled)) await worker.stop({ type: "exit" });
    profile = {
      requests: PROFILE_REQUESTS,
      concurrency: 256,
      thryd: mergeSelfTimes(profiles.thryd),
      raw: mergeSelfTimes(profiles.raw),
    };
  } catch (error) {
    log(`profiling failed: ${reason(error)}`);
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }

  log("token counting");
  const tokens = benchTokenCounting(path.join(packageDir, "fixtures"));

  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    durationS: (Date.now() - startedAt.getTime()) / 1000,
    machine: {
      cpu: cpuModel(),
      cpus: cpus().length,
      memoryGb: totalmem() / 2 ** 30,
      loadAverage: loadavg(),
      os: `${osType()} ${release()}`,
    },
    node: process.version,
    versions: Object.fromEntries(
      [
        "@fabricatio/thryd",
        "@fabricatio/gateway",
        "undici",
        "openai",
        "ai",
        "@ai-sdk/openai",
        "litellm",
        "@portkey-ai/gateway",
        "tiktoken",
        "js-tiktoken",
        "gpt-tokenizer",
        "@resvg/resvg-js",
      ].map((name) => [name, versionOf(name)]),
    ),
    latenciesMs: LATENCIES_MS,
    concurrencies: CONCURRENCIES,
    runMs: RUN_MS,
    rounds: ROUNDS,
    cells,
    failures,
    callErrors: errorNotes,
    memory,
    memoryRequests: MEMORY_REQUESTS,
    rateLimit,
    streams,
    tokens,
    profile,
  };
  const chartDir = path.join(root, "docs", "bench");
  mkdirSync(chartDir, { recursive: true });
  writeFileSync(
    path.join(chartDir, "results.generated.json"),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  const charts = writeCharts(results, chartDir);
  const report = renderReport(
    results,
    charts.map((file) => path.relative(root, file)),
  );
  writeFileSync(path.join(root, "BENCHMARKS.md"), report);
  log(`wrote BENCHMARKS.md and ${charts.length} charts in ${results.durationS.toFixed(0)} s`);
} finally {
  await gateway?.stop();
  await ours?.stop();
  await floor?.stop();
  await mock.stop();
}
