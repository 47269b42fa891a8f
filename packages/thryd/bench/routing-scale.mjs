// Cost of one routing decision as a group grows: µs per `router.invoke` for every strategy, with
// 1 to 10,000 deployments in the group, on a model that answers in-process (no HTTP), so the
// numbers are the router's own CPU time per request. `benchSection()` is called by run.mjs and
// returns a markdown section; it also writes the chart `docs/routing-cost.png`.
//
// THRYD_DIST=/path/to/dist/index.js runs it against another build. To compare two builds side
// by side in one process (rounds alternating between them):
//   THRYD_BASELINE=/path/to/old/dist/index.js node bench/routing-scale.mjs --compare
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startRedisServer } from "@fabricatio/mock-llm";
import { renderLineChart, writePng } from "./line-chart.mjs";
import { fmt } from "./support.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const distUrl = process.env.THRYD_DIST
  ? pathToFileURL(path.resolve(process.env.THRYD_DIST)).href
  : new URL("../dist/index.js", import.meta.url).href;
const thryd = await import(distUrl);
const { createCompletionRouter, RedisRateLimitStore, ROUTING_STRATEGIES } = thryd;

const SIZES = [1, 10, 100, 1_000, 10_000];
// Many short rounds, keeping the best: on a shared machine a short round often runs
// undisturbed, a long one seldom. A slow case stops early once it has run long enough.
const ROUNDS = 30;
const MIN_ROUNDS = 5;
const CASE_BUDGET_MS = 1_500;
const MIN_CALLS = 20;
const MIN_ROUND_MS = 5;
const MESSAGES = Array.from({ length: 256 }, (_, index) => `benchmark question number ${index}`);
const USAGE = { prompt_tokens: 12, completion_tokens: 14, total_tokens: 26 };
const ROOM = { rpm: 1e9, tpm: 1e12 };
// A quota already spent and a window long enough that it stays spent for the whole run.
const SPENT = { rpm: 1, windowS: 3_600 };

/**
 * Scenarios: every deployment has room (the limits never bind), or nine in ten are cooling down
 * at their RPM and every tenth has room (a group of one keeps its room).
 */
const SCENARIOS = [
  { name: "room", title: "every deployment has room", busy: () => false },
  {
    name: "busy",
    title: "9 in 10 deployments at their RPM",
    busy: (index, size) => size > 1 && index % 10 !== 9,
  },
];

const provider = { name: "bench" };
function instantModel(name) {
  return {
    kind: "completion",
    name,
    provider,
    invoke: async () => ({
      content: "ok",
      finish_reason: "stop",
      message: { role: "assistant", content: "ok" },
      usage: { ...USAGE },
    }),
  };
}

function build(strategy, size, scenario, library = thryd) {
  const router = library.createCompletionRouter({ strategy });
  const now = Date.now();
  for (let index = 0; index < size; index++) {
    const busy = scenario.busy(index, size);
    const deployment = router.addDeployment("g", instantModel(`m${index}`), busy ? SPENT : ROOM);
    if (busy) {
      const reservation = deployment.limiter.tryReserve(0, now);
      deployment.limiter.reconcile(reservation, 0, now);
    }
  }
  return router;
}

// The same group with its quotas in Redis; a spent deployment holds its one request in flight.
async function buildShared(store, size, scenario) {
  const router = createCompletionRouter();
  for (let index = 0; index < size; index++) {
    const busy = scenario.busy(index, size);
    const options = {
      ...(busy ? SPENT : ROOM),
      store,
      storeKey: `${scenario.name}-${size}-${index}`,
    };
    const deployment = router.addDeployment("g", instantModel(`m${index}`), options);
    if (busy && typeof (await deployment.asyncLimiter.tryReserve(0, Date.now())) === "number") {
      throw new Error("a fresh key must have room");
    }
  }
  return router;
}

const SHARED_SIZES = [1, 10, 100, 1_000];
const SHARED_CALLS = 300;

/** µs (wall and client CPU) per `invoke` of groups on a Redis store; `{ [scenario]: { [size]: … } }`. */
async function measureShared() {
  const redis = await startRedisServer();
  const store = new RedisRateLimitStore({ url: redis.url, prefix: `scale:${Date.now()}:` });
  try {
    await store.connect();
    const results = {};
    for (const scenario of SCENARIOS) {
      const cases = [];
      for (const size of SHARED_SIZES) {
        cases.push({
          size,
          router: await buildShared(store, size, scenario),
          wall: Infinity,
          cpu: Infinity,
        });
      }
      for (const entry of cases) await sharedRound(entry.router, 100);
      for (let round = 0; round < 3; round++) {
        for (const entry of cases) {
          const { wallUs, cpuUs } = await sharedRound(entry.router, SHARED_CALLS);
          entry.wall = Math.min(entry.wall, wallUs);
          entry.cpu = Math.min(entry.cpu, cpuUs);
        }
      }
      results[scenario.name] = Object.fromEntries(
        cases.map(({ size, wall, cpu }) => [size, { wall, cpu }]),
      );
    }
    return results;
  } finally {
    await store.close();
    await redis.stop();
  }
}

async function sharedRound(router, calls) {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let index = 0; index < calls; index++) {
    await router.invoke("g", { message: MESSAGES[index % MESSAGES.length] });
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    wallUs: Number(process.hrtime.bigint() - started) / 1e3 / calls,
    cpuUs: (cpu.user + cpu.system) / calls,
  };
}

function sharedTable(shared) {
  const rows = SHARED_SIZES.map(
    (size) =>
      `| ${fmt(size)} | ${SCENARIOS.map((scenario) => `${fmt(shared[scenario.name][size].wall, 0)} µs | ${fmt(shared[scenario.name][size].cpu, 0)} µs`).join(" | ")} |`,
  );
  return [
    `| deployments in the group | ${SCENARIOS.map((scenario) => `${scenario.title}: wall | client CPU`).join(" | ")} |`,
    `|---:|${SCENARIOS.map(() => "---:|---:").join("|")}|`,
    ...rows,
  ].join("\n");
}

async function usPerCall(router) {
  let calls = 0;
  const started = process.hrtime.bigint();
  let elapsedNs = 0n;
  while (calls < MIN_CALLS || elapsedNs < BigInt(MIN_ROUND_MS * 1e6)) {
    await router.invoke("g", { message: MESSAGES[calls % MESSAGES.length] });
    calls++;
    elapsedNs = process.hrtime.bigint() - started;
  }
  return Number(elapsedNs) / 1e3 / calls;
}

/**
 * Best µs per call of every size for one strategy and scenario; the sizes alternate round by
 * round so drift on a shared machine hits them all alike.
 */
async function measure(strategy, scenario, libraries = [thryd]) {
  const cases = SIZES.flatMap((size) =>
    libraries.map((library, version) => ({
      size,
      version,
      router: build(strategy, size, scenario, library),
      best: Infinity,
      rounds: 0,
      spentMs: 0,
    })),
  );
  for (const entry of cases) await usPerCall(entry.router);
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of cases) {
      if (entry.rounds >= MIN_ROUNDS && entry.spentMs > CASE_BUDGET_MS) continue;
      const started = performance.now();
      entry.best = Math.min(entry.best, await usPerCall(entry.router));
      entry.spentMs += performance.now() - started;
      entry.rounds++;
    }
  }
  const of = (version) =>
    Object.fromEntries(
      cases.filter((entry) => entry.version === version).map((entry) => [entry.size, entry.best]),
    );
  return libraries.length === 1 ? of(0) : libraries.map((_, version) => of(version));
}

// Before (THRYD_BASELINE) and after (this build) side by side: a markdown table per scenario.
async function compare() {
  const baseline = await import(pathToFileURL(path.resolve(process.env.THRYD_BASELINE)).href);
  const sections = [];
  for (const scenario of SCENARIOS) {
    const rows = [];
    for (const strategy of ROUTING_STRATEGIES) {
      const [before, after] = await measure(strategy, scenario, [baseline, thryd]);
      for (const size of SIZES) {
        rows.push(
          `| ${strategy} | ${fmt(size)} | ${fmt(before[size], 2)} | ${fmt(after[size], 2)} | ${fmt(before[size] / after[size], 1)}× | ${fmt(after[size] / after[1], 2)}× |`,
        );
      }
    }
    sections.push(`### ${scenario.title}

| strategy | deployments | before µs | after µs | speed-up | after ÷ after at 1 |
|---|---:|---:|---:|---:|---:|
${rows.join("\n")}
`);
  }
  return sections.join("\n");
}

function table(results, scenario) {
  const header = `| deployments in the group | ${ROUTING_STRATEGIES.join(" | ")} |`;
  const rule = `|---:|${ROUTING_STRATEGIES.map(() => "---:").join("|")}|`;
  const rows = SIZES.map(
    (size) =>
      `| ${fmt(size)} | ${ROUTING_STRATEGIES.map((strategy) => `${fmt(results[scenario.name][strategy][size], 2)}`).join(" | ")} |`,
  );
  const ratio = (size) =>
    `| ratio ${fmt(size)} ÷ 1 | ${ROUTING_STRATEGIES.map((strategy) => `${fmt(results[scenario.name][strategy][size] / results[scenario.name][strategy][1], 2)}×`).join(" | ")} |`;
  return [header, rule, ...rows, ratio(10), ratio(1_000), ratio(10_000)].join("\n");
}

/** Measures every strategy and scenario; returns `{ [scenario]: { [strategy]: { [size]: µs } } }`. */
export async function measureRoutingScale() {
  const results = {};
  for (const scenario of SCENARIOS) {
    results[scenario.name] = {};
    for (const strategy of ROUTING_STRATEGIES) {
      results[scenario.name][strategy] = await measure(strategy, scenario);
    }
  }
  return results;
}

/** Markdown section with the tables, after writing the chart next to BENCHMARKS.md. */
export async function benchSection() {
  const results = await measureRoutingScale();
  const shared = await measureShared();
  const docs = path.join(here, "..", "docs");
  mkdirSync(docs, { recursive: true });
  const series = SCENARIOS.flatMap((scenario) =>
    ROUTING_STRATEGIES.map((strategy, index) => ({
      label: `${strategy}${scenario.name === "busy" ? ", 9/10 busy" : ""}`,
      colour: index,
      dashed: scenario.name === "busy",
      points: SIZES.map((size) => ({ x: size, y: results[scenario.name][strategy][size] })),
    })),
  );
  await writePng(
    renderLineChart({
      title: "µs per router.invoke vs deployments in the group",
      xLabel: "deployments in the group",
      yLabel: "µs per invoke (best round)",
      series,
      targets: [
        { x: 1_000, y: 10, label: "target 10 µs" },
        { x: 10_000, y: 20, label: "target 20 µs" },
      ],
    }),
    path.join(docs, "routing-cost.png"),
  );
  return `
## Routing cost vs group size

\`router.invoke\` on deployments whose model answers in-process (no HTTP, no cache), with RPM and
TPM limits set, one caller; µs per call, the best of up to ${ROUNDS} short rounds (each at least
${MIN_CALLS} calls and ${MIN_ROUND_MS} ms; a case stops after ${MIN_ROUNDS} rounds once it has run
${fmt(CASE_BUDGET_MS)} ms), the five group sizes of a strategy alternating round by round in one run.
The ratio rows divide by the group of one measured in the same rounds. least-wait and
round-robin make the same decisions here (every deployment with room is "least wait"), so the
gap between their columns shows the machine's noise.

Targets: at most 10 µs at 1,000 deployments and 20 µs at 10,000 for every strategy, and at most
1.5× the single-deployment cost at 10 deployments.

![µs per invoke vs deployments in the group](docs/routing-cost.png)

### ${SCENARIOS[0].title}

${table(results, SCENARIOS[0])}

### ${SCENARIOS[1].title}

Nine deployments in ten have spent their RPM (and stay so for the run); every tenth has room.

${table(results, SCENARIOS[1])}

### Groups on a Redis store

The same groups (default strategy, least-wait) with their quotas in a \`RedisRateLimitStore\` on a
local \`redis-server\`: µs per \`invoke\`, best of 3 rounds of ${SHARED_CALLS} calls, wall time and the
client's CPU. Each decision is one script when the next deployment in the rotation has room; with
nine in ten spent, the first candidate is tried alone, then the next 16 in one script (up to 64
per script after that).

${sharedTable(shared)}
`;
}

// Run alone: `node bench/routing-scale.mjs` (after a build) prints the section; with
// `--json` it prints the raw numbers instead and writes no chart (`--no-redis`: memory only);
// `--compare`: see the top of this file.
if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--compare")) {
    process.stdout.write(await compare());
  } else if (process.argv.includes("--json")) {
    const memory = await measureRoutingScale();
    const shared = process.argv.includes("--no-redis") ? undefined : await measureShared();
    process.stdout.write(`${JSON.stringify({ memory, shared }, null, 1)}\n`);
  } else {
    process.stdout.write(await benchSection());
  }
}
