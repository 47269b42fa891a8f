import { CONTENDER_LABELS, CONTENDERS, type ContenderName } from "./contenders.js";
import { sharesByOrigin } from "./cpu-profile.js";
import { formatNumber, formatRatio, renderRatioMatrix, renderTable } from "./markdown.js";
import type { BenchResults, CellSummary } from "./results.js";
import { median, pairedRatio } from "./stats.js";

const PEERS: ContenderName[] = ["openai", "ai-sdk", "litellm", "portkey"];
const label = (name: ContenderName) => CONTENDER_LABELS[name];
const mib = (bytes: number) => formatNumber(bytes / 2 ** 20, 1);

/** Median of per-round throughput ratios (see `pairedRatio`). */
function rateRatio(mine: CellSummary, other: CellSummary): number {
  return pairedRatio(
    mine.rounds.map((round) => round.rate),
    other.rounds.map((round) => round.rate),
  );
}

function cellOf(results: BenchResults, latencyMs: number, concurrency: number) {
  return results.cells[latencyMs]?.[concurrency] ?? {};
}

function throughputTable(results: BenchResults, latencyMs: number): string {
  const headers = ["Contender"];
  for (const concurrency of results.concurrencies) {
    headers.push(`c=${concurrency} req/s`, `c=${concurrency} ÷ raw`);
  }
  const rows = CONTENDERS.map((name) => {
    const row = [label(name)];
    for (const concurrency of results.concurrencies) {
      const cell = cellOf(results, latencyMs, concurrency);
      const mine = cell[name];
      row.push(
        mine ? formatNumber(mine.rate) : "did not run",
        mine && cell.raw ? formatRatio(rateRatio(mine, cell.raw), 1) : "n/a",
      );
    }
    return row;
  });
  return renderTable(headers, rows);
}

function latencyTable(results: BenchResults, latencyMs: number): string {
  const headers = ["Contender"];
  for (const concurrency of results.concurrencies) {
    headers.push(`c=${concurrency} p50 (added)`, `c=${concurrency} p99 (added)`);
  }
  const added = (value: number, floor: number | undefined) =>
    floor === undefined
      ? ""
      : ` (${value - floor >= 0 ? "+" : "−"}${formatNumber(Math.abs(value - floor))})`;
  const rows = CONTENDERS.map((name) => {
    const row = [label(name)];
    for (const concurrency of results.concurrencies) {
      const cell = cellOf(results, latencyMs, concurrency);
      const mine = cell[name];
      if (!mine) {
        row.push("did not run", "");
        continue;
      }
      row.push(
        `${formatNumber(mine.p50Us)}${added(mine.p50Us, cell.raw?.p50Us)}`,
        `${formatNumber(mine.p99Us)}${added(mine.p99Us, cell.raw?.p99Us)}`,
      );
    }
    return row;
  });
  return renderTable(headers, rows);
}

function cpuTable(results: BenchResults): string {
  const headers = ["Contender"];
  for (const latencyMs of results.latenciesMs) {
    for (const concurrency of results.concurrencies) {
      headers.push(`${latencyMs} ms c=${concurrency}`);
    }
  }
  const rows = CONTENDERS.map((name) => [
    label(name),
    ...results.latenciesMs.flatMap((latencyMs) =>
      results.concurrencies.map((concurrency) => {
        const mine: CellSummary | undefined = cellOf(results, latencyMs, concurrency)[name];
        return mine ? formatNumber(mine.cpuUsPerRequest, 1) : "n/a";
      }),
    ),
  ]);
  return renderTable(headers, rows);
}

interface Goal {
  goal: string;
  measured: string;
  met: boolean | undefined;
}

function goals(results: BenchResults): Goal[] {
  const list: Goal[] = [];
  const top = Math.max(...results.concurrencies);
  for (const latencyMs of results.latenciesMs) {
    const cell = cellOf(results, latencyMs, top);
    const ratio = cell.thryd && cell.raw ? rateRatio(cell.thryd, cell.raw) : Number.NaN;
    list.push({
      goal: `thryd ≥ 0.95 × raw throughput, c=${top}, mock ${latencyMs} ms`,
      measured: `${formatNumber(ratio, 3)}× raw`,
      met: Number.isFinite(ratio) ? ratio >= 0.95 : undefined,
    });
    const peers = PEERS.filter((peer) => cell[peer]);
    const worst = peers
      .map((peer) => ({
        peer,
        ratio: cell.thryd ? rateRatio(cell.thryd, cell[peer]!) : Number.NaN,
      }))
      .sort((left, right) => left.ratio - right.ratio)[0];
    list.push({
      goal: `thryd ahead of every peer, c=${top}, mock ${latencyMs} ms`,
      measured: worst
        ? `closest: ${formatNumber(worst.ratio, 2)}× ${label(worst.peer)}`
        : "no peer ran",
      met: worst ? worst.ratio > 1 : undefined,
    });
  }
  for (const latencyMs of results.latenciesMs) {
    const ratios = results.concurrencies.map((concurrency) => {
      const cell = cellOf(results, latencyMs, concurrency);
      const hits = cell["thryd-cache-hit"];
      return { concurrency, ratio: hits && cell.raw ? rateRatio(hits, cell.raw) : Number.NaN };
    });
    list.push({
      goal: `cache hits ≥ 3 × raw throughput at every concurrency, mock ${latencyMs} ms`,
      measured: ratios
        .map(({ concurrency, ratio }) => `c=${concurrency}: ${formatNumber(ratio, 2)}×`)
        .join(", "),
      met: ratios.every(({ ratio }) => Number.isFinite(ratio))
        ? ratios.every(({ ratio }) => ratio >= 3)
        : undefined,
    });
  }
  list.push(...gatewayGoals(results));
  const slowUpstream = Math.max(...results.latenciesMs);
  const serial = cellOf(results, slowUpstream, 1);
  const speedup =
    serial.thryd && serial["thryd-cache-hit"]
      ? serial.thryd.p50Us / serial["thryd-cache-hit"].p50Us
      : Number.NaN;
  list.push({
    goal: `cache hit ≥ 20× faster than a ${slowUpstream} ms upstream (p50, c=1)`,
    measured: `${formatNumber(speedup, 0)}× (${formatNumber(serial["thryd-cache-hit"]?.p50Us ?? Number.NaN)} µs vs ${formatNumber(serial.thryd?.p50Us ?? Number.NaN)} µs)`,
    met: Number.isFinite(speedup) ? speedup >= 20 : undefined,
  });
  const accuracy = results.rateLimit.accuracy.thryd;
  list.push({
    goal: "rate-limit accuracy ≤ 1.0",
    measured: accuracy === undefined ? "did not run" : formatNumber(accuracy, 2),
    met: accuracy === undefined ? undefined : accuracy <= 1,
  });
  return list;
}

const GATEWAY_CONCURRENCIES = [64, 256];

/** The goals of issue 23: ≥ 10× Portkey, ≥ 0.5× raw, ≤ 0.5 ms added p50 at c=1. */
function gatewayGoals(results: BenchResults): Goal[] {
  const list: Goal[] = [];
  const concurrencies = GATEWAY_CONCURRENCIES.filter((c) => results.concurrencies.includes(c));
  for (const latencyMs of results.latenciesMs) {
    for (const concurrency of concurrencies) {
      const cell = cellOf(results, latencyMs, concurrency);
      const vsPortkey =
        cell.gateway && cell.portkey ? rateRatio(cell.gateway, cell.portkey) : Number.NaN;
      list.push({
        goal: `gateway ≥ 10 × Portkey's throughput, c=${concurrency}, mock ${latencyMs} ms`,
        measured: `${formatNumber(vsPortkey, 1)}× Portkey`,
        met: Number.isFinite(vsPortkey) ? vsPortkey >= 10 : undefined,
      });
      const vsRaw = cell.gateway && cell.raw ? rateRatio(cell.gateway, cell.raw) : Number.NaN;
      list.push({
        goal: `gateway ≥ 0.5 × raw throughput, c=${concurrency}, mock ${latencyMs} ms`,
        measured: `${formatNumber(vsRaw, 2)}× raw`,
        met: Number.isFinite(vsRaw) ? vsRaw >= 0.5 : undefined,
      });
    }
  }
  const serial = cellOf(results, 0, 1);
  const addedUs =
    serial.gateway && serial.raw ? serial.gateway.p50Us - serial.raw.p50Us : Number.NaN;
  list.push({
    goal: "gateway adds ≤ 0.5 ms to the p50 latency, c=1, mock 0 ms",
    measured: `+${formatNumber(addedUs / 1000, 3)} ms (${formatNumber(serial.gateway?.p50Us ?? Number.NaN)} µs vs raw ${formatNumber(serial.raw?.p50Us ?? Number.NaN)} µs)`,
    met: Number.isFinite(addedUs) ? addedUs <= 500 : undefined,
  });
  return list;
}

function gatewaySection(results: BenchResults): string {
  const rows: string[][] = [];
  for (const latencyMs of results.latenciesMs) {
    for (const concurrency of results.concurrencies) {
      const cell = cellOf(results, latencyMs, concurrency);
      const ratio = (other: CellSummary | undefined) =>
        cell.gateway && other ? formatNumber(rateRatio(cell.gateway, other), 2) : "n/a";
      rows.push([
        `${latencyMs} ms`,
        String(concurrency),
        cell.gateway ? formatNumber(cell.gateway.rate) : "did not run",
        cell.portkey ? formatNumber(cell.portkey.rate) : "did not run",
        cell["proxy-floor"] ? formatNumber(cell["proxy-floor"].rate) : "did not run",
        cell.raw ? formatNumber(cell.raw.rate) : "did not run",
        ratio(cell.portkey),
        ratio(cell["proxy-floor"]),
        ratio(cell.raw),
        cell.gateway && cell.raw ? `+${formatNumber(cell.gateway.p50Us - cell.raw.p50Us)}` : "n/a",
        cell.portkey && cell.raw ? `+${formatNumber(cell.portkey.p50Us - cell.raw.p50Us)}` : "n/a",
      ]);
    }
  }
  const streams = results.streams;
  const streamRows = (["gateway", "portkey"] as const).map((name) => {
    const entry = streams?.gateways[name];
    if (!entry) return [label(name), streams?.failures[name] ?? "did not run", "", ""];
    return [
      label(name),
      mib(entry.idleBytes),
      mib(entry.openBytes),
      mib(entry.openBytes - entry.idleBytes),
    ];
  });
  return `Both gateways run in their own process in front of the same mock and are called by the
same raw undici client; the "raw" column is that client calling the mock directly. The gateway
runs \`serve()\` of \`@fabricatio/gateway\` (what \`fabricatio serve\` runs) with the default
\`[gateway]\` settings: access log lines on (formatted and written, to the null device), no keys.
The "bare proxy" is the least any Node gateway does: a \`node:http\` server forwarding each body to the
mock with undici and relaying the answer, with no validation, limits, logs, timeouts or
cancellation (\`tools/bench/src/proxy-floor-worker.ts\`), in its own process too: the two-hop floor.
Ratios are medians of per-round ratios; added latency is the p50 difference with the raw call, µs.

${renderTable(
  [
    "Mock",
    "Concurrency",
    "gateway req/s",
    "Portkey req/s",
    "bare proxy req/s",
    "raw req/s",
    "gateway ÷ Portkey",
    "gateway ÷ bare proxy",
    "gateway ÷ raw",
    "gateway p50 added",
    "Portkey p50 added",
  ],
  rows,
)}

### Memory per ${formatNumber(streams?.count ?? 1000)} open streams

Each gateway process gets ${formatNumber(streams?.count ?? 1000)} streamed completions at once
from one client; the mock paces every stream (a chunk each ${formatNumber(streams?.chunkIntervalMs ?? 0)} ms), so all
of them are open together. RSS is read from \`/proc/<pid>/status\` just before and once every
stream has delivered its first chunk, without forcing a GC, the same way for both gateways.

${renderTable(["Gateway", "RSS idle (MiB)", "RSS with the streams open (MiB)", "Growth (MiB)"], streamRows)}
`;
}

function profileSection(results: BenchResults): string {
  const profile = results.profile;
  if (!profile) return "The CPU profiles could not be taken in this run (see the harness log).\n";
  const ours = (url: string) => url.includes("/thryd/dist/");
  const table = (rows: typeof profile.thryd, count: number) =>
    renderTable(
      ["Function (file:line)", "Self time", "Share"],
      rows
        .slice(0, count)
        .map((row) => [
          `${ours(row.url) ? "**" : ""}\`${row.frame}\`${ours(row.url) ? "**" : ""}`,
          `${formatNumber(row.selfMs)} ms`,
          `${formatNumber(row.share * 100, 1)} %`,
        ]),
    );
  const thrydOrigins = sharesByOrigin(profile.thryd);
  const rawOrigins = sharesByOrigin(profile.raw);
  const origins = [...new Set([...thrydOrigins, ...rawOrigins].map((entry) => entry.origin))];
  const shareIn = (list: typeof thrydOrigins, origin: string) =>
    `${formatNumber((list.find((entry) => entry.origin === origin)?.share ?? 0) * 100, 1)} %`;
  const own = profile.thryd.filter((row) => ours(row.url));
  const ownShare = own.reduce((sum, row) => sum + row.share, 0);
  const shareOf = (pattern: string) =>
    own.filter((row) => row.frame.includes(pattern)).reduce((sum, row) => sum + row.share, 0);
  const percent = (share: number) => `${formatNumber(share * 100, 1)} %`;
  const top = Math.max(...results.concurrencies);
  const busyUsPerRequest = (rows: typeof profile.thryd) =>
    (rows
      .filter((row) => !row.frame.startsWith("(idle)"))
      .reduce((sum, row) => sum + row.selfMs, 0) *
      1000) /
    profile.requests;
  const fast = cellOf(results, 0, top);
  const cpuDifferenceUs =
    fast.thryd && fast.raw
      ? median(
          fast.thryd.rounds
            .slice(0, fast.raw.rounds.length)
            .map(
              (round, index) => round.cpuUsPerRequest - fast.raw!.rounds[index]!.cpuUsPerRequest,
            ),
        )
      : Number.NaN;
  const rawCpuUs = fast.raw
    ? median(fast.raw.rounds.map((round) => round.cpuUsPerRequest))
    : Number.NaN;
  const rateOf = (prefix: string, text: string) =>
    results.tokens.find((row) => row.text === text && row.counter.startsWith(prefix))?.tokensPerS ??
    Number.NaN;
  const gptRate = (text: string) => rateOf("gpt-tokenizer", text);
  const thrydRate = (text: string) => rateOf("@fabricatio/thryd", text);
  const ownUsPerRequest = (own.reduce((sum, row) => sum + row.selfMs, 0) * 1000) / profile.requests;
  const englishCold =
    results.tokens.find(
      (row) => row.text === "English" && row.counter.startsWith("@fabricatio/thryd"),
    )?.tokensPerS ?? Number.NaN;
  const perThousandTokensUs = (1000 / englishCold) * 1e6;
  const readyDelta =
    results.memory.thryd && results.memory.raw
      ? results.memory.thryd.readyBytes - results.memory.raw.readyBytes
      : Number.NaN;
  return `The thryd and raw clients were profiled with V8's sampling CPU profiler (the one
\`node --cpu-prof\` starts), switched on through \`node:inspector\` around the measured run only, so
module loading and the first connects stay out: ${formatNumber(profile.requests)} requests each at
concurrency ${profile.concurrency}, mock at 0 ms, in two runs alternating raw and thryd (after a
warm-up), added up. Self time is summed per function over the whole call tree; shares are of all
sampled time, idle included.

| Origin of the code | thryd client | raw client |
| --- | ---: | ---: |
${origins.map((origin) => `| ${origin} | ${shareIn(thrydOrigins, origin)} | ${shareIn(rawOrigins, origin)} |`).join("\n")}

thryd's own functions (bold) take **${percent(ownShare)}** of the thryd client's samples. Top of
its profile:

${table(profile.thryd, 15)}

thryd's own functions:

${table(own, 20)}

Top of the raw undici client's profile, for comparison:

${table(profile.raw, 10)}

### Findings for thryd

- **Per-request CPU.** In the throughput runs at 0 ms and concurrency ${top}, thryd's client
  used ${formatNumber(cpuDifferenceUs, 1)} µs more CPU per request than the raw one (median of the
  per-round differences; ${formatNumber(rawCpuUs, 1)} µs for raw). In the profiles the thryd
  process was busy ${formatNumber(busyUsPerRequest(profile.thryd), 1)} µs per request and the raw
  one ${formatNumber(busyUsPerRequest(profile.raw), 1)} µs; thryd's own functions account for
  ${formatNumber(ownUsPerRequest, 1)} µs (${percent(ownShare)} of the samples), and the garbage
  collector takes ${shareIn(thrydOrigins, "garbage collector")} of thryd's samples against
  ${shareIn(rawOrigins, "garbage collector")} of raw's: thryd allocates more per request. At
  0 ms the client and the mock compete for two cores, so that extra CPU is what
  costs throughput; with a 20 ms upstream the client has idle time and the gap closes (goals table).
- **\`#json\` in \`providers/http-client.ts\`** (${percent(shareOf("#json"))} self):
  reads the body with \`body.text()\` and \`JSON.parse\`s it; the parse, a builtin, is counted in
  this frame. The raw call pays the same parse inside undici's \`body.json()\` (\`consumeEnd\`), so
  most of this is not extra. What thryd adds around it is four nested \`async\` functions per
  request (\`Router#dispatch\` → \`OpenAICompletionModel.invoke\` → \`#json\` → \`sendHttp\`; the
  frames between them are synchronous), each an extra promise and microtask hop. Open: fold
  \`#json\` and \`sendHttp\` into one async function for the no-timeout path.
- **\`sendHttp\` (\`providers/http-request.ts\`)** (${percent(shareOf("sendHttp"))} self) and the
  router's \`#dispatch\`/\`attempt\`/\`#tryAcquire\` (${percent(shareOf("#dispatch") + shareOf("attempt") + shareOf("#tryAcquire"))} together):
  \`sendHttp\`'s self time is mostly \`JSON.stringify\` of the request body (a builtin counted in the
  caller; the raw client serialises per call too). Done: it used to allocate a \`mapError\`
  closure and an answer object of closures on every request; an exchange is now one object whose
  \`mapError\`/\`done\` are methods. The router's \`#dispatch\` no longer builds its
  \`Request to "<deployment>"\` label on every call, only when \`#startAttempt\` makes an attempt
  (a timeout or a signal).
- **\`getHttpAgent\` (\`providers/http-pool.ts\`)** (${percent(shareOf("getHttpAgent"))} self):
  built the pool key string \`origin#fingerprint\` and did two \`Map\` lookups on every request.
  Small. Done: each provider now keeps its agent per key (reset when
  \`closeHttpPools\` runs), so the hot path does no string work.
- **Token estimation with no TPM limit (fixed).** \`Router#send\` called
  \`kindSupport(kind).estimateTokens(request)\` (→ \`countTokens\`) on every request even when no
  deployment of the group had a \`tpm\`. Here the prompt repeats, so it is a memo hit
  (${percent(shareOf("estimateTokens"))} self). With a new prompt per call, as in real use, it is an
  o200k_base encode: about ${formatNumber(perThousandTokensUs)} µs of CPU per 1,000 prompt tokens
  at the cold rate measured below, more than the whole raw call costs. The first count also loads
  the rank table: thryd's client is ${formatNumber(readyDelta / 2 ** 20, 0)} MiB
  larger than the raw one right after its first call (memory table). Done: the router now
  estimates only when some deployment of the group has a \`tpm\` or a \`contextWindow\`
  (\`Deployment.needsTokenEstimate\`); the reservation carries 0 tokens otherwise and is charged
  with the provider's reported usage when the answer arrives.
- **Token counting.** thryd's \`countTokens\` counts with \`gpt-tokenizer\` (pure JS; tiktoken only
  for a text holding U+FEFF, where gpt-tokenizer's table is wrong) behind a memo: on new texts it
  runs at ${formatRatio(thrydRate("English"), gptRate("English"))} of gpt-tokenizer's rate on the English text and
  ${formatRatio(thrydRate("CJK"), gptRate("CJK"))} on the CJK one (token table), with tiktoken's counts.
`;
}

function callErrorText(results: BenchResults): string {
  const entries = Object.entries(results.callErrors ?? {});
  if (entries.length === 0) return "No call failed during the throughput runs.";
  return `Calls that failed during the throughput runs (left out of the rates and latencies):\n\n${entries
    .map(
      ([name, note]) =>
        `- ${label(name as ContenderName)}: ${formatNumber(note.calls)} calls; first error: ${note.first}`,
    )
    .join("\n")}`;
}

/** The whole BENCHMARKS.md. `charts` are paths relative to the repository root. */
export function renderReport(results: BenchResults, charts: readonly string[]): string {
  const chart = (name: string) => {
    const file = charts.find((entry) => entry.endsWith(name));
    return file ? `![${name}](${file})` : "";
  };
  const failures = Object.entries(results.failures);
  const goalRows = goals(results).map((goal) => [
    goal.goal,
    goal.measured,
    goal.met === undefined ? "not measured" : goal.met ? "yes" : "**no**",
  ]);
  const memoryRows = CONTENDERS.map((name) => {
    const entry = results.memory[name];
    const raw = results.memory.raw;
    return entry
      ? [
          label(name),
          mib(entry.readyBytes),
          mib(entry.afterBytes),
          mib(entry.afterBytes - entry.readyBytes),
          raw ? formatRatio(entry.afterBytes, raw.afterBytes) : "n/a",
        ]
      : [label(name), "did not run", "", "", ""];
  });
  const rateRows = CONTENDERS.filter((name) => name !== "thryd-cache-hit").map((name) => {
    const accuracy = results.rateLimit.accuracy[name];
    if (accuracy !== undefined) {
      return [
        label(name),
        formatNumber(accuracy, 2),
        `${results.rateLimit.busiestWindow[name]} of ${results.rateLimit.quota}`,
        `${formatNumber(results.rateLimit.durationS[name] ?? Number.NaN, 1)} s`,
      ];
    }
    return [label(name), "n/a", results.rateLimit.unsupported[name] ?? "did not run", ""];
  });
  const thrydTokens = (text: string) =>
    results.tokens.find((row) => row.text === text && row.counter.startsWith("@fabricatio/thryd"))
      ?.tokensPerS ?? Number.NaN;
  const tokenRows = results.tokens.map((row) => [
    row.counter,
    row.text,
    formatNumber(row.tokensPerS),
    formatRatio(row.tokensPerS, thrydTokens(row.text)),
  ]);
  const top = Math.max(...results.concurrencies);
  const machine = results.machine;
  return `# Benchmarks: @fabricatio/thryd and @fabricatio/gateway side by side with peers

Generated by \`tools/bench\` (\`@fabricatio/bench\`, private) on ${results.startedAt.slice(0, 16).replace("T", " ")} UTC;
the run took ${formatNumber(results.durationS / 60, 1)} minutes. Reproduce with:

\`\`\`sh
pnpm install
pnpm bench          # every package's benchmarks (turbo, one at a time), this report included
pnpm bench:peers    # only this report: pnpm --filter @fabricatio/bench bench
\`\`\`

\`pnpm bench:peers\` builds what it needs (turbo \`bench\` depends on \`build\`) and runs
\`node tools/bench/dist/run.js\`, which writes this file, \`docs/bench/*.png\` and the raw numbers in
\`docs/bench/results.generated.json\`.

- Machine: ${machine.cpu}, ${machine.cpus} logical CPUs, ${formatNumber(machine.memoryGb, 0)} GiB RAM, ${machine.os}
- Node ${results.node}; load average at the end of the run: ${machine.loadAverage.map((value) => formatNumber(value, 2)).join(", ")}
- Versions: ${Object.entries(results.versions)
    .map(([name, version]) => `\`${name}@${version}\``)
    .join(", ")}

**Noise.** The mock, the gateway and the client share the machine's ${machine.cpus} CPUs (with
whatever else runs on it: see the load average above), so absolute numbers
move between runs. Read the ratios: every contender is measured in the same rounds, back to back,
in an order rotated every round. Throughput (req/s) is the best round; every ratio ("÷ raw", the
matrices, the goals) is the median of the per-round ratios, which compares runs made moments
apart; latency percentiles are the median over rounds.

## How it is measured

- One mock server (\`@fabricatio/mock-llm\`) in its own child process on 127.0.0.1 answers
  \`chat/completions\` after 0 ms or 20 ms. Every contender runs in its own child process and sends
  the same one-message completion to it, checking the answer text.
- Contenders: ${CONTENDERS.map(label).join("; ")}. "Raw undici" is \`undici\`'s \`Agent.request\` with keep-alive, the
  floor. thryd runs with no cache and no limits, and with its default two-tier cache (the memory
  LRU in front of a SQLite file) where every call is a hit (the harness checks the mock saw none
  of them). The Portkey gateway (\`@portkey-ai/gateway\`,
  started through its CLI on loopback, \`--headless\`) and \`@fabricatio/gateway\` (in its own
  process, see [below](#fabricatiogateway-against-the-portkey-gateway)) sit in front of the mock
  and are called by the same raw undici client, so their rows are the gateways' cost.
- Every run lasts ${formatNumber(results.runMs / 1000, 1)} s (no new request starts after that), whatever the contender's speed.
  ${results.rounds} rounds; within each round every concurrency runs every
  contender back to back, in an order rotated every round, after a warm-up.

## Goals

${renderTable(["Goal", "Measured", "Met"], goalRows, ["left", "left", "left"])}

Throughput goals compare thryd with the raw call round by round (median of the per-round ratios).
Where a goal is missed, [Where thryd's time goes](#where-thryds-time-goes-cpu-profile) says why
and what to change in thryd.

${callErrorText(results)}

${failures.length === 0 ? "Every peer ran." : `## Contenders that could not run\n\n${failures.map(([name, why]) => `- ${label(name as ContenderName)}: ${why}`).join("\n")}`}

${results.latenciesMs
  .map(
    (latencyMs) => `## Throughput, mock answering in ${latencyMs} ms

${throughputTable(results, latencyMs)}

${chart(`throughput-${latencyMs}ms.png`)}

Ratios between every pair at concurrency ${top} (row ÷ column, median of the per-round ratios;
above 1 means the row is faster):

${renderRatioMatrix(
  CONTENDERS.map((name) => ({ name: label(name), value: cellOf(results, latencyMs, top)[name] })),
  rateRatio,
)}
`,
  )
  .join("\n")}
## Latency per call (µs) and added latency over the raw call

${results.latenciesMs
  .map(
    (latencyMs) => `### Mock answering in ${latencyMs} ms

${latencyTable(results, latencyMs)}
`,
  )
  .join("\n")}
${chart("latency.png")}

### Client CPU per request (µs, user + system, least of the rounds)

The steadier measure of a library's own cost on a shared machine. The Portkey row counts only the
client: the gateway's CPU is spent in its own process, and shows in its throughput and latency.

${cpuTable(results)}

## Memory after ${formatNumber(results.memoryRequests)} requests

A fresh process per contender sends ${formatNumber(results.memoryRequests)} requests at
concurrency 64 (mock at 0 ms); RSS is read when the client is ready and after the last answer,
without forcing a GC. The Portkey row is the client only; the gateway process is not counted.

${renderTable(["Contender", "RSS ready (MiB)", "RSS after (MiB)", "Growth (MiB)", "÷ raw"], memoryRows)}

${chart("memory.png")}

## Rate-limit accuracy

A fresh client limited to ${results.rateLimit.quota} requests per ${results.rateLimit.windowS} s
window sends ${results.rateLimit.requests} requests at concurrency ${results.rateLimit.concurrency}
to a recording mock answering in ${results.rateLimit.upstreamLatencyMs} ms. Accuracy is the most
requests the mock received in any ${results.rateLimit.windowS} s window (of every window starting at
an arrival) divided by the quota: 1.0 is perfect, above 1.0 a violation, below 1.0 unused quota.

${renderTable(["Contender", "Accuracy", "Busiest window / reason", "Run time"], rateRows)}

${chart("rate-limit.png")}

## Token counting (o200k_base)

Tokens per second on a fixed English text (the opening sentence of *A Tale of Two Cities*) and a
fixed CJK text (the opening of 桃花源记), both in \`tools/bench/fixtures/\`. Every counter gives the
same count (checked first). Each call sees a text not seen before (a numbered prefix), so thryd's
memo of recent texts does not help, except in the "memo hit" row. Best of three alternating rounds.

${renderTable(["Counter", "Text", "Tokens/s", "÷ thryd"], tokenRows)}

${chart("tokens.png")}

## @fabricatio/gateway against the Portkey gateway

${gatewaySection(results)}
## Where thryd's time goes (CPU profile)

${profileSection(results)}
`;
}
