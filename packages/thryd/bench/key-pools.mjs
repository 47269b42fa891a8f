// Key-pool benchmark of @fabricatio/thryd: the cost of rotating three keys against one key.
// Run by bench/run.mjs (after a build); exports one markdown section.
import { closeHttpPools, createCompletionRouter, OpenAICompatibleProvider } from "../dist/index.js";

import { fmt, runConcurrent, startMock } from "./support.mjs";

const round = (router, total, concurrency) =>
  runConcurrent(total, concurrency, () => router.invoke("g", { message: "benchmark message" }));

function routerFor(url, apiKey) {
  const router = createCompletionRouter().addProvider(
    new OpenAICompatibleProvider({ name: "mock", apiKey, baseUrl: url }),
  );
  router.deploy("g", "mock/m");
  return router;
}

/** Markdown section: router cost per request with one key against a pool of three keys. */
export async function benchSection() {
  const mock = await startMock();
  const total = 2_000;
  const concurrency = 32;
  try {
    const single = routerFor(mock.url, "sk-bench-single-key-0001");
    const pooled = routerFor(mock.url, [
      "sk-bench-pool-key-0001",
      "sk-bench-pool-key-0002",
      "sk-bench-pool-key-0003",
    ]);
    await round(single, 1_000, concurrency);
    await round(pooled, 1_000, concurrency);
    const singleRuns = [];
    const pooledRuns = [];
    for (let index = 0; index < 5; index++) {
      singleRuns.push(await round(single, total, concurrency));
      pooledRuns.push(await round(pooled, total, concurrency));
    }
    const best = (runs) => Math.max(...runs.map((run) => run.rate));
    const leastCpu = (runs) => Math.min(...runs.map((run) => run.cpuUsPerRequest));
    const rows = [
      ["one key (pool off)", best(singleRuns), leastCpu(singleRuns)],
      ["three keys (pool on)", best(pooledRuns), leastCpu(pooledRuns)],
    ];
    return `
## Key pools: one key against three rotated keys

\`router.invoke\` through an \`OpenAICompatibleProvider\` to the mock server (its CLI, in a child
process), concurrency ${concurrency}, ${fmt(total)} requests per round, five alternating rounds:
best throughput and least client CPU per request. With three keys every request also picks the
next key and pays for the failure hook; each key has its own keep-alive pool.

| Keys | Requests/s | CPU/request | Ratio (req/s) | Ratio (CPU) |
|---|---:|---:|---:|---:|
${rows.map(([name, rate, cpu]) => `| ${name} | ${fmt(rate)} | ${fmt(cpu, 1)} µs | ${fmt(rate / rows[0][1], 2)}× | ${fmt(cpu / rows[0][2], 2)}× |`).join("\n")}
`;
  } finally {
    await closeHttpPools();
    mock.stop();
  }
}
