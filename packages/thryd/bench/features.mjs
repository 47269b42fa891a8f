// Per-request cost of each opt-in router feature (fallbacks, circuit breaker, coalescing,
// reasoning strip, prices and budgets, metrics, tracing) against the same router with all off.
// The model answers in-process, so the numbers are the router's own CPU time per request.
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { createCompletionRouter } from "../dist/index.js";

const CALLS = 20_000;
const ROUNDS = 5;
const MESSAGES = Array.from({ length: 256 }, (_, index) => `benchmark question number ${index}`);
const PLAIN = "The answer is 42, as computed from the question above.";
const THINKING = "<think>step one, step two, step three</think>\n\nThe answer is 42.";

function instantModel(content) {
  return {
    kind: "completion",
    name: "instant",
    provider: { name: "bench" },
    // A complete answer, as the router accepts no other.
    invoke: async () => ({
      content,
      finish_reason: "stop",
      message: { role: "assistant", content },
      usage: { prompt_tokens: 12, completion_tokens: 14, total_tokens: 26 },
    }),
  };
}

function build(options, deploymentOptions = {}, content = PLAIN) {
  const router = createCompletionRouter(options);
  router.addDeployment("g", instantModel(content), deploymentOptions);
  router.addDeployment("backup", { ...instantModel(content), name: "spare" });
  return router;
}

async function timePerCallUs(router) {
  const started = process.hrtime.bigint();
  for (let index = 0; index < CALLS; index++) {
    await router.invoke("g", { message: MESSAGES[index % MESSAGES.length] });
  }
  return Number(process.hrtime.bigint() - started) / 1e3 / CALLS;
}

const price = { inputPerMTok: 3, outputPerMTok: 15 };
const exporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
const sdk = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const CASES = [
  ["all off", () => build({})],
  ["fallbacks", () => build({ fallbacks: { g: ["backup"] } })],
  ["circuit breaker", () => build({ circuitBreaker: true })],
  ["coalesce (no concurrent twin)", () => build({ coalesce: true })],
  ["stripReasoning, answer without tags", () => build({ stripReasoning: true })],
  [
    "stripReasoning, answer with a think block",
    () => build({ stripReasoning: true }, {}, THINKING),
  ],
  ["price (usage.cost, totals)", () => build({}, { price })],
  ["price + budget", () => build({ budgets: { g: { limitUsd: 1e9 } } }, { price })],
  ["contextWindow", () => build({}, { contextWindow: 1_000_000 })],
  ["metrics", () => build({ metrics: true })],
  ["tracing, no SDK registered (no-op)", () => build({ tracing: true })],
  ["tracing, SDK tracer", () => build({ tracing: sdk.getTracer("bench") })],
  [
    "all on (SDK tracer)",
    () =>
      build(
        {
          fallbacks: { g: ["backup"] },
          circuitBreaker: true,
          coalesce: true,
          stripReasoning: true,
          budgets: { g: { limitUsd: 1e9 } },
          metrics: true,
          tracing: sdk.getTracer("bench"),
        },
        { price, contextWindow: 1_000_000 },
      ),
  ],
];

/** Markdown section: each feature's cost per request next to all-off, measured in one run. */
export async function benchSection() {
  const routers = CASES.map(([name, make]) => ({ name, router: make(), best: Infinity }));
  for (const { router } of routers) await timePerCallUs(router); // warm-up
  // Rounds alternate between cases so drift on a shared machine hits them all alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of routers)
      entry.best = Math.min(entry.best, await timePerCallUs(entry.router));
  }
  await sdk.shutdown();
  trace.disable();
  const base = routers[0].best;
  const rows = routers.map(
    ({ name, best }) =>
      `| ${name} | ${best.toFixed(2)} µs | ${(best - base >= 0 ? "+" : "") + (best - base).toFixed(2)} µs | ${(best / base).toFixed(2)}× |`,
  );
  return `## Opt-in router features: cost per request

\`router.invoke\` on a model that answers in-process (no HTTP), ${CALLS.toLocaleString("en")} sequential calls per
round over 256 distinct messages, best of ${ROUNDS} alternating rounds; every case in the same run.
This isolates the router's own work per request: against a real provider the same microseconds
are added to a call that takes milliseconds. "all off" is the path benchmarked against raw HTTP above.

| Feature on | Time per request | Added | Ratio to all off |
|---|---:|---:|---:|
${rows.join("\n")}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(await benchSection());
}
