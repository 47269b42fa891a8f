// Benchmarks of @fabricatio/thryd; run with `pnpm --filter @fabricatio/thryd bench` (it builds first).
// Writes BENCHMARKS.md next to package.json.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { countTokens as gptCountTokens } from "gpt-tokenizer/encoding/o200k_base";
import { getEncoding } from "js-tiktoken";
import { Agent } from "undici";
import {
  closeHttpPools,
  completionCacheKey,
  countTokens,
  createCompletionRouter,
  OpenAICompatibleProvider,
  RouterCache,
  SlidingWindow,
} from "../dist/index.js";
import { benchSection as featuresSection } from "./features.mjs";
import { benchSection as keyPoolsSection } from "./key-pools.mjs";
import { benchSection as redisBenchSection } from "./redis.mjs";
import { benchSection as routingScaleSection } from "./routing-scale.mjs";
import { fmt, runConcurrent, startMock } from "./support.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function cpuModel() {
  const line = readFileSync("/proc/cpuinfo", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("model name"));
  return line ? line.split(":")[1].trim() : (cpus()[0]?.model ?? "unknown");
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

async function routerOverhead(url) {
  const rows = [];
  const base = new URL(`${url}/`);
  const target = new URL("chat/completions", base);
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    pipelining: 1,
  });
  const body = (message) =>
    JSON.stringify({ model: "m", messages: [{ role: "user", content: message }] });
  const raw = async () => {
    const response = await agent.request({
      origin: target.origin,
      path: target.pathname,
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
      body: body("benchmark message"),
    });
    const json = await response.body.json();
    if (!json.choices) throw new Error("bad answer");
  };
  const router = createCompletionRouter().addProvider(
    new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-bench", baseUrl: url }),
  );
  router.deploy("g", "mock/m");
  const routed = async () => {
    const response = await router.invoke("g", { message: "benchmark message" });
    if (!response.content) throw new Error("bad answer");
  };
  for (const [concurrency, total] of [
    [1, 3_000],
    [64, 20_000],
    [256, 20_000],
  ]) {
    await runConcurrent(2_000, concurrency, raw);
    await runConcurrent(2_000, concurrency, routed);
    const rawRuns = [];
    const routerRuns = [];
    // Alternate the two so drift in the machine's load hits both alike; keep the best of five.
    for (let round = 0; round < 5; round++) {
      rawRuns.push(await runConcurrent(total, concurrency, raw));
      routerRuns.push(await runConcurrent(total, concurrency, routed));
    }
    const rawBest = Math.max(...rawRuns.map((run) => run.rate));
    const routerBest = Math.max(...routerRuns.map((run) => run.rate));
    const rawCpu = Math.min(...rawRuns.map((run) => run.cpuUsPerRequest));
    const routerCpu = Math.min(...routerRuns.map((run) => run.cpuUsPerRequest));
    rows.push({
      concurrency,
      total,
      rawBest,
      routerBest,
      loss: (1 - routerBest / rawBest) * 100,
      rawCpu,
      routerCpu,
    });
  }
  await agent.close();
  await closeHttpPools();
  return rows;
}

async function cacheHitLatency() {
  const directory = mkdtempSync(path.join(tmpdir(), "thryd-bench-"));
  const cache = new RouterCache({ path: path.join(directory, "cache.sqlite") });
  const router = createCompletionRouter({ cache }).addProvider(
    new OpenAICompatibleProvider({ name: "p", apiKey: "k", baseUrl: "http://127.0.0.1:9/v1" }),
  );
  router.deploy("g", "p/m");
  const requests = Array.from({ length: 200 }, (_, index) => ({
    message: `cached question ${index}`,
  }));
  await cache.setMany(
    requests.map((request) => [
      completionCacheKey("g", request),
      {
        content: "answer",
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        finish_reason: "stop",
        message: { role: "assistant", content: "answer" },
      },
    ]),
  );
  // Three rounds; the round with the lowest median is reported, as the others are most likely
  // slowed by whatever else shares the machine.
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    const samples = [];
    for (let index = 0; index < 10_000; index++) {
      const started = process.hrtime.bigint();
      await router.invoke("g", requests[index % requests.length]);
      samples.push(Number(process.hrtime.bigint() - started) / 1000);
    }
    samples.sort((left, right) => left - right);
    rounds.push({
      p50: percentile(samples, 0.5),
      p90: percentile(samples, 0.9),
      p99: percentile(samples, 0.99),
    });
  }
  await cache.close();
  rmSync(directory, { recursive: true, force: true });
  const best = rounds.reduce((left, right) => (right.p50 < left.p50 ? right : left));
  return { ...best, medians: rounds.map((round) => round.p50) };
}

function tokenCounting() {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const vocabulary =
    "the router sends requests to deployments with limits of tokens per minute and caches answers in sqlite while streaming deltas 路由 缓存 令牌 🚀 naïve café".split(
      " ",
    );
  const texts = Array.from({ length: 4_000 }, () =>
    Array.from(
      { length: 40 + Math.floor(random() * 80) },
      () => vocabulary[Math.floor(random() * vocabulary.length)],
    ).join(" "),
  );
  const tiktokenRaw = require("tiktoken").get_encoding("o200k_base");
  const jsTiktoken = getEncoding("o200k_base");
  for (const text of texts) {
    const expected = tiktokenRaw.encode_ordinary(text).length;
    if (
      countTokens(text) !== expected ||
      jsTiktoken.encode(text).length !== expected ||
      gptCountTokens(text) !== expected
    ) {
      throw new Error("token counts disagree");
    }
  }
  const measure = (count, batch = texts) => {
    const started = process.hrtime.bigint();
    let total = 0;
    for (const text of batch) total += count(text);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { textsPerS: batch.length / seconds, tokens: total };
  };
  // Concatenation makes rope strings that are slow to read char by char; real inputs (parsed JSON,
  // file contents) are flat, so every batch is flattened before the clock starts.
  const flat = (text) => Buffer.from(text, "utf8").toString("utf8");
  // Best of three, each round on new prefixes, so the machine's noise favours no counter.
  let round = 0;
  const best = (runs) =>
    runs.reduce((left, right) => (right.textsPerS > left.textsPerS ? right : left));
  const cold = (count) =>
    best(
      [0, 1, 2].map(() => {
        round++;
        const batch = texts.map((text) => flat(`${round} ${text}`));
        return measure(count, batch);
      }),
    );
  return [
    { name: "thryd countTokens (tiktoken WASM), cold", ...cold(countTokens) },
    { name: "thryd countTokens, memo hit", ...best([0, 1, 2].map(() => measure(countTokens))) },
    {
      name: "tiktoken encode_ordinary (no memo)",
      ...cold((text) => tiktokenRaw.encode_ordinary(text).length),
    },
    { name: "js-tiktoken encode", ...cold((text) => jsTiktoken.encode(text).length) },
    { name: "gpt-tokenizer countTokens", ...cold((text) => gptCountTokens(text)) },
  ];
}

function limiterCost() {
  const window = new SlidingWindow({ rpm: 1e12, tpm: 1e15, bucketSizeMs: 1000, bucketCount: 60 });
  const operations = 2_000_000;
  let now = 0;
  const started = process.hrtime.bigint();
  for (let index = 0; index < operations; index++) {
    now += 0.05;
    window.tryReserve(100, now);
  }
  const reserveNs = Number(process.hrtime.bigint() - started) / operations;
  const full = new SlidingWindow({ rpm: 60, bucketSizeMs: 1000, bucketCount: 60 });
  for (let index = 0; index < 60; index++) full.tryReserve(1, index * 1000);
  const refusedStart = process.hrtime.bigint();
  for (let index = 0; index < operations; index++) full.waitMs(1, 59_999);
  const refusedNs = Number(process.hrtime.bigint() - refusedStart) / operations;
  return { reserveNs, refusedNs };
}

const mock = await startMock();
try {
  const overhead = await routerOverhead(mock.url);
  const cacheHit = await cacheHitLatency();
  const tokens = tokenCounting();
  const limiter = limiterCost();
  const report = `# Benchmarks of @fabricatio/thryd

Command: \`pnpm --filter @fabricatio/thryd... build && pnpm --filter @fabricatio/thryd bench\`
(runs \`node bench/run.mjs\`; the mock server runs in a child process via its CLI).

- Machine: ${cpuModel()}, ${cpus().length} logical CPUs
- Node ${process.version}, ${new Date().toISOString().slice(0, 10)}

## Router overhead vs a raw undici request to the same mock server

Same \`chat/completions\` body, keep-alive pools on both sides; no cache and no limits on the
router. Best of five alternating rounds. The client's CPU time per request (user + system, the
least of five rounds) is the steadier measure of the router's own cost: wall-clock throughput on
a shared 2-CPU machine moves with whatever else runs on it.

| Concurrency | Requests per round | Raw undici (req/s) | Router (req/s) | Throughput loss | Raw CPU/request | Router CPU/request |
|---:|---:|---:|---:|---:|---:|---:|
${overhead.map((row) => `| ${row.concurrency} | ${fmt(row.total)} | ${fmt(row.rawBest)} | ${fmt(row.routerBest)} | ${fmt(row.loss, 1)} % | ${fmt(row.rawCpu, 1)} µs | ${fmt(row.routerCpu, 1)} µs |`).join("\n")}

Target: at most 5 % throughput loss at concurrency 256. The mock server shares the two CPUs with
the client (and with whatever else runs on the machine), so single runs move: across the runs made
while tuning the router, the loss at 256 ranged from −17 % (router ahead) to +20 %, and the
router's extra CPU per request from about 1 to 12 µs.

## Cache-hit latency (SQLite via keyv + @keyv/sqlite)

\`router.invoke\` on 200 cached completions, 10 000 sequential calls per round, end to end (key
hash, store read, deserialisation). Reported: the round with the lowest median of three (the
medians of all three: ${cacheHit.medians.map((value) => `${fmt(value, 1)} µs`).join(", ")}).

| p50 | p90 | p99 |
|---:|---:|---:|
| ${fmt(cacheHit.p50, 1)} µs | ${fmt(cacheHit.p90, 1)} µs | ${fmt(cacheHit.p99, 1)} µs |

Target: p50 at most 100 µs.

## Token counting (o200k_base), 4 000 texts of 40–120 words

All counters agree on every sampled text. "Cold" runs use texts never counted before (best of
three rounds, each on freshly prefixed texts); "memo hit" counts texts already in thryd's bounded
LRU. Every counter gives the same count on all 4 000 texts (checked before timing).

thryd's cold row and the bare \`tiktoken\` row call the same \`encode_ordinary\` of the same package,
yet thryd's comes out faster in every run on this machine. A separate script reproduces this with
nothing of thryd: wrapping the bare call in an \`lru-cache\` lookup (all misses) makes it about ten
times faster, on flat and on concatenated strings alike. It is an effect of V8 and the WASM
boundary under these call patterns, not thryd counting less; read the bare row as the floor.

| Counter | Texts/s | Ratio to thryd cold |
|---|---:|---:|
${tokens.map((row) => `| ${row.name} | ${fmt(row.textsPerS)} | ${fmt(row.textsPerS / tokens[0].textsPerS, 2)}× |`).join("\n")}

## Limiter decision cost

| Operation | ns/op |
|---|---:|
| \`SlidingWindow.tryReserve\` (room available) | ${fmt(limiter.reserveNs, 0)} |
| \`SlidingWindow.waitMs\` (window full, computes the cooldown) | ${fmt(limiter.refusedNs, 0)} |
${await keyPoolsSection()}

${await featuresSection()}

${await routingScaleSection()}

${await redisBenchSection()}`;
  writeFileSync(path.join(here, "..", "BENCHMARKS.md"), report.replace(/\n{3,}/g, "\n\n"));
  process.stdout.write(report);
} finally {
  mock.stop();
}
