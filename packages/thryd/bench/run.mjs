// Benchmarks of @fabricatio/thryd; run with `pnpm --filter @fabricatio/thryd bench` (it builds first).
// Writes BENCHMARKS.md next to package.json.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Cacheable, KeyvCacheableMemory } from "cacheable";
import { countTokens as gptCountTokens } from "gpt-tokenizer/encoding/o200k_base";
import { getEncoding } from "js-tiktoken";
import Keyv from "keyv";
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

// Lowest-median round of three, 10 000 sequential awaited calls each, over 200 cached requests.
async function latencyRounds(call) {
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    const samples = [];
    for (let index = 0; index < 10_000; index++) {
      const started = process.hrtime.bigint();
      await call(index);
      samples.push(Number(process.hrtime.bigint() - started) / 1000);
    }
    samples.sort((left, right) => left - right);
    rounds.push({
      p50: percentile(samples, 0.5),
      p90: percentile(samples, 0.9),
      p99: percentile(samples, 0.99),
    });
  }
  const best = rounds.reduce((left, right) => (right.p50 < left.p50 ? right : left));
  return { ...best, medians: rounds.map((round) => round.p50) };
}

async function cacheHitLatency() {
  const directory = mkdtempSync(path.join(tmpdir(), "thryd-bench-"));
  const requests = Array.from({ length: 200 }, (_, index) => ({
    message: `cached question ${index}`,
  }));
  const answer = {
    content: "answer",
    finish_reason: "stop",
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    message: { role: "assistant", content: "answer" },
  };
  const setups = [
    ["two tiers (default): memory LRU, then SQLite", {}],
    ["SQLite only (memoryMaxEntries: 0)", { memoryMaxEntries: 0 }],
  ];
  const rows = [];
  for (const [name, options] of setups) {
    const cache = new RouterCache({
      path: path.join(directory, `${rows.length}.sqlite`),
      ...options,
    });
    const router = createCompletionRouter({ cache }).addProvider(
      new OpenAICompatibleProvider({ name: "p", apiKey: "k", baseUrl: "http://127.0.0.1:9/v1" }),
    );
    router.deploy("g", "p/m");
    await cache.setMany(requests.map((request) => [completionCacheKey("g", request), answer]));
    rows.push({
      name,
      ...(await latencyRounds((index) => router.invoke("g", requests[index % requests.length]))),
    });
    await cache.close();
  }
  // The memory tier alone, as RouterCache uses it and as cacheable would: the measure behind the
  // choice of lru-cache (see the README's cache section).
  const keys = requests.map((request) => completionCacheKey("g", request));
  const memoryOnly = new RouterCache({ store: new Map() });
  await memoryOnly.setMany(keys.map((key) => [key, answer]));
  rows.push({
    name: "RouterCache.get, memory hit (no router, no key hash)",
    ...(await latencyRounds((index) => memoryOnly.get(keys[index % keys.length]))),
  });
  const cacheable = new Cacheable({
    primary: new Keyv({ store: new KeyvCacheableMemory({ lruSize: 1000, useClone: false }) }),
    secondary: new Keyv({ store: new Map() }),
  });
  for (const key of keys) await cacheable.set(key, answer, { ttl: { primary: 30_000 } });
  rows.push({
    name: "cacheable Cacheable.get, memory hit (for comparison)",
    ...(await latencyRounds((index) => cacheable.get(keys[index % keys.length]))),
  });
  rmSync(directory, { recursive: true, force: true });
  return rows;
}

function tokenCounting() {
  // mulberry32: the former \`(seed * 1103515245 + 12345) % 2 ** 31\` lost precision past 2^53 and
  // cycled, leaving 236 distinct texts of 4 000, so most "new" counts were memo hits.
  let seed = 7;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let mixed = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
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
  if (new Set(texts).size !== texts.length) throw new Error("the benchmark texts repeat");
  const tiktokenRaw = require("tiktoken").get_encoding("o200k_base");
  const jsTiktoken = getEncoding("o200k_base");
  const ordinary = { allowedSpecial: new Set(), disallowedSpecial: new Set() };
  for (const text of texts) {
    const expected = tiktokenRaw.encode_ordinary(text).length;
    if (
      countTokens(text) !== expected ||
      jsTiktoken.encode(text).length !== expected ||
      gptCountTokens(text, ordinary) !== expected
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
  let round = 0;
  // Five rounds, the counters alternating within each, every round on new prefixes so no memo
  // (thryd's or gpt-tokenizer's own merge cache) sees a text twice; the best round counts.
  const counters = [
    ["thryd countTokens (gpt-tokenizer), new texts", countTokens],
    ["gpt-tokenizer countTokens, called directly", (text) => gptCountTokens(text, ordinary)],
    [
      "tiktoken encode_ordinary (WASM, the reference)",
      (text) => tiktokenRaw.encode_ordinary(text).length,
    ],
    ["js-tiktoken encode", (text) => jsTiktoken.encode(text).length],
  ];
  const best = new Map();
  for (let pass = 0; pass < 5; pass++) {
    for (const [name, count] of counters) {
      round++;
      const batch = texts.map((text) => flat(`${round} ${text}`));
      const result = measure(count, batch);
      if (!best.has(name) || result.textsPerS > best.get(name).textsPerS) best.set(name, result);
    }
  }
  const memoHit = [0, 1, 2]
    .map(() => measure(countTokens))
    .reduce((left, right) => (right.textsPerS > left.textsPerS ? right : left));
  const rows = counters.map(([name]) => ({ name, ...best.get(name) }));
  rows.splice(1, 0, { name: "thryd countTokens, memo hit (texts seen before)", ...memoHit });
  return rows;
}

// Milliseconds from a new process to its first count, over bare Node in the same round: what a
// short-lived program (the \`fabricatio tokens\` command) pays for loading a counter.
function firstCountCost() {
  const tokensEntry = new URL("../dist/tokens/index.js", import.meta.url).href;
  const commands = [
    ["bare Node (node -e 0)", ["-e", "0"]],
    [
      "@fabricatio/thryd/tokens (gpt-tokenizer, JSON rank table)",
      [
        "--input-type=module",
        "-e",
        `const m = await import(${JSON.stringify(tokensEntry)}); m.countTokens("hello world");`,
      ],
    ],
    [
      "gpt-tokenizer's own o200k_base module",
      ["-e", 'require("gpt-tokenizer/encoding/o200k_base").countTokens("hello world")'],
    ],
    [
      "tiktoken (WASM)",
      ["-e", 'require("tiktoken").get_encoding("o200k_base").encode_ordinary("hello world")'],
    ],
  ];
  const samples = commands.map(() => []);
  for (let round = 0; round < 7; round++) {
    for (let step = 0; step < commands.length; step++) {
      const index = (round + step) % commands.length;
      const started = process.hrtime.bigint();
      const result = spawnSync(process.execPath, commands[index][1], {
        cwd: path.join(here, ".."),
        stdio: "ignore",
        timeout: 60_000,
      });
      if (result.status !== 0) throw new Error(`${commands[index][0]} exited ${result.status}`);
      samples[index].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  const median = (values) => [...values].sort((left, right) => left - right)[values.length >> 1];
  return commands.map(([name], index) => ({
    name,
    medianMs: median(samples[index]),
    addedMs: median(samples[index].map((ms, round) => ms - samples[0][round])),
  }));
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

const loadAtStart = loadavg();
const mock = await startMock();
try {
  const overhead = await routerOverhead(mock.url);
  const cacheHit = await cacheHitLatency();
  const tokens = tokenCounting();
  const firstCount = firstCountCost();
  const limiter = limiterCost();
  const report = `# Benchmarks of @fabricatio/thryd

Command: \`pnpm --filter @fabricatio/thryd... build && pnpm --filter @fabricatio/thryd bench\`
(runs \`node bench/run.mjs\`; the mock server runs in a child process via its CLI).

- Machine: ${cpuModel()}, ${cpus().length} logical CPUs
- Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average at the start: ${loadAtStart.map((value) => fmt(value, 2)).join(", ")}

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

## Cache-hit latency: memory tier in front of SQLite

\`router.invoke\` on 200 cached completions, 10 000 sequential awaited calls per round, end to end
(request check, SHA-256 cache key, memory or store read, JSON copy of the answer). Reported: the
round with the lowest median of three (all three medians in the last column). The last two rows
time the memory tier alone, ours (\`lru-cache\` holding JSON text) and \`cacheable\`'s
\`Cacheable\` (a keyv-wrapped \`CacheableMemory\` primary with a keyv secondary), with no router
and no key hash: the measure that decided against \`cacheable\` for the hot path.

| Path | p50 | p90 | p99 | Medians of the rounds |
|---|---:|---:|---:|---|
${cacheHit.map((row) => `| ${row.name} | ${fmt(row.p50, 1)} µs | ${fmt(row.p90, 1)} µs | ${fmt(row.p99, 1)} µs | ${row.medians.map((value) => fmt(value, 1)).join(", ")} µs |`).join("\n")}

Target: cache-hit p50 at most 10 µs in-process (the two-tier row): ${cacheHit[0].p50 <= 10 ? "met" : "**not met**"}, ${fmt(cacheHit[0].p50, 1)} µs,
${fmt(cacheHit[1].p50 / cacheHit[0].p50, 1)}× faster than the SQLite-only path.

## Token counting (o200k_base), 4 000 texts of 40–120 words

Every counter gives tiktoken's count on all 4 000 texts (checked before timing; the test suite
compares thryd with tiktoken on English, code, CJK, emoji, mixed texts and the text of every
vocabulary token). "New texts" rows count texts never seen before: five rounds, the counters
alternating, every round on freshly prefixed texts, best round reported. thryd counts with
\`gpt-tokenizer\` (tiktoken for the rare text holding U+FEFF) behind a bounded memo.

| Counter | Texts/s | Ratio to thryd, new texts |
|---|---:|---:|
${tokens.map((row) => `| ${row.name} | ${fmt(row.textsPerS)} | ${fmt(row.textsPerS / tokens[0].textsPerS, 2)}× |`).join("\n")}

Target: thryd at least as fast as the fastest JS counter with identical counts (gpt-tokenizer):
${fmt(tokens[0].textsPerS / tokens.find((row) => row.name.startsWith("gpt-tokenizer")).textsPerS, 2)}× its rate, ${fmt(tokens[0].textsPerS / tokens.find((row) => row.name.startsWith("tiktoken")).textsPerS, 2)}× tiktoken's.

First count in a new process (median of 7 rounds, each command once per round in rotated order;
"added" is over bare Node of the same round):

| Counter | Median | Added over bare Node |
|---|---:|---:|
${firstCount.map((row) => `| ${row.name} | ${fmt(row.medianMs)} ms | ${row.name.startsWith("bare") ? "—" : `+${fmt(row.addedMs)} ms`} |`).join("\n")}

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
