// The demo of the main job, offline: a mock OpenAI-compatible server on loopback, a temporary
// fabricatio.toml with two deployments in one group and tight limits, and the fabricatio facade
// and CLI doing a completion, a cache hit, a rate-limited burst, embeddings, a rerank, a question
// answered through the tool loop with a real MCP server (server-everything's get-sum), then the
// same routers served as an OpenAI-compatible gateway (`fabricatio serve`).
// Run with `pnpm demo` from the repository root (it builds first).
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { loadConfig } from "@fabricatio/config";
import { initLogger } from "@fabricatio/logger";
import { startMockLlm } from "@fabricatio/mock-llm";
import { createLLM } from "fabricatio";
import { createGateway } from "fabricatio/gateway";

const UPSTREAM_LATENCY_MS = 20;
const RPM_PER_DEPLOYMENT = 2;
const WINDOW_S = 2;

const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const ms = (value) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;

async function timed(run) {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

function table(rows) {
  const widths = rows[0].map((_, column) =>
    Math.max(...rows.map((row) => String(row[column]).length)),
  );
  return rows
    .map((row) => row.map((cell, column) => String(cell).padEnd(widths[column])).join("  "))
    .join("\n");
}

const require = createRequire(import.meta.url);
const everythingServer = path.join(
  path.dirname(require.resolve("@modelcontextprotocol/server-everything/package.json")),
  "dist/index.js",
);

const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-demo-"));
const mock = await startMockLlm();
mock.setDefault({ type: "ok", latencyMs: UPSTREAM_LATENCY_MS });
let llm;
try {
  const toml = `# written by the demo
[debug]
log_level = "WARN"

[llm]
send_to = "task"

[agent]
task = "chat"

[embedding]
send_to = "embed"
ndim = 8

[reranker]
send_to = "rank"

[routing]
cache_database_path = ${JSON.stringify(path.join(temp, "cache.sqlite"))}
providers = [
  { ptype = "OpenAICompatible", name = "mock", key = "sk-demo", base_url = "${mock.url}" },
]
completion_deployments = [
  { id = "mock/small-a", group = "chat", rpm = ${RPM_PER_DEPLOYMENT}, window_s = ${WINDOW_S} },
  { id = "mock/small-b", group = "chat", rpm = ${RPM_PER_DEPLOYMENT}, window_s = ${WINDOW_S} },
]
embedding_deployments = [{ id = "mock/embedder", group = "embed" }]
reranker_deployments = [{ id = "mock/ranker", group = "rank" }]

[mcp.servers.everything]
command = ${JSON.stringify(process.execPath)}
args = [${JSON.stringify(everythingServer)}, "stdio"]
`;
  writeFileSync(path.join(temp, "fabricatio.toml"), toml);
  console.log(bold("Fabricatio for TypeScript — demo"));
  console.log(
    `mock LLM on ${mock.url} (answers after ${UPSTREAM_LATENCY_MS} ms); config in ${temp}/fabricatio.toml:\n`,
  );
  console.log(toml.replace(/^/gm, "  "));

  initLogger({ level: process.env.DEMO_LOG ?? "WARN" });
  const config = loadConfig({ cwd: temp, env: {} });
  llm = createLLM({ config });

  // Opening the cache database and loading the tokenizer happen on the first call; do it here so
  // the timings below are those of a running application.
  await llm.ask("warm-up", { noCache: true });
  console.log(bold("1. A completion, then the same question from the SQLite cache"));
  const [answer, firstMs] = await timed(() => llm.ask("What does thryd do?"));
  const [again, cachedMs] = await timed(() => llm.ask("What does thryd do?"));
  console.log(`  answer:       ${answer}`);
  console.log(`  first call:   ${ms(firstMs)} (upstream)`);
  console.log(
    `  second call:  ${ms(cachedMs)} (cache hit, ${again === answer ? "same answer" : "DIFFERENT"}; ${(firstMs / cachedMs).toFixed(0)}× faster)\n`,
  );

  let upstreamRequests = mock.requestCount;
  console.log(
    bold(
      `2. A burst of 8 questions: rpm ${RPM_PER_DEPLOYMENT} per deployment over a ${WINDOW_S} s window`,
    ),
  );
  mock.reset();
  mock.setDefault({ type: "ok", latencyMs: UPSTREAM_LATENCY_MS });
  const burstStart = Date.now();
  const [, burstMs] = await timed(() =>
    llm.ask(
      Array.from({ length: 8 }, (_, index) => `burst question ${index + 1}`),
      { noCache: true },
    ),
  );
  const perDeployment = new Map();
  for (const request of mock.requests)
    perDeployment.set(request.body.model, (perDeployment.get(request.body.model) ?? 0) + 1);
  const rows = [["request", "deployment", "sent after"]];
  for (const [index, request] of mock.requests.entries()) {
    rows.push([
      `#${index + 1}`,
      request.body.model,
      `${((request.receivedAt - burstStart) / 1000).toFixed(2)} s`,
    ]);
  }
  console.log(table(rows).replace(/^/gm, "  "));
  console.log(
    "  The router spread the burst over both deployments and held back what the limits did not allow.\n",
  );

  console.log(bold("3. Embeddings with a partial cache hit"));
  upstreamRequests += mock.requestCount;
  mock.reset();
  await llm.embed(["alpha", "beta"]);
  const firstBatch = mock.requests.at(-1).body.input;
  const vectors = await llm.embed(["beta", "gamma", "alpha"]);
  const secondBatch = mock.requests.at(-1).body.input;
  console.log(`  embed([alpha, beta])        → API asked for ${JSON.stringify(firstBatch)}`);
  console.log(
    `  embed([beta, gamma, alpha]) → API asked for ${JSON.stringify(secondBatch)}; ${vectors.length} vectors of ${vectors[0].length} dims, in order\n`,
  );

  console.log(bold("4. A rerank"));
  const documents = [
    "How to bake bread",
    "Routing LLM requests with rate limits",
    "A history of tea",
  ];
  const rankings = await llm.rerank("rate limits for LLM requests", documents);
  for (const [index, score] of rankings) console.log(`  ${score.toFixed(3)}  ${documents[index]}`);
  console.log("");

  console.log(bold("5. A question that needs a tool: the tool loop with a real MCP server"));
  upstreamRequests += mock.requestCount;
  mock.reset();
  // The mock plays the model: its first answer calls get-sum, its second answers with the sum.
  mock.script(
    {
      type: "ok",
      latencyMs: UPSTREAM_LATENCY_MS,
      toolCalls: [{ id: "call_sum", name: "get-sum", arguments: '{"a":1234,"b":4321}' }],
    },
    { type: "ok", latencyMs: UPSTREAM_LATENCY_MS, content: "1234 + 4321 = 5555." },
  );
  const toolQuestion = "What is 1234 + 4321? Use a tool.";
  console.log(`  question:     ${toolQuestion}`);
  const [loop, loopMs] = await timed(() =>
    llm.runTools(toolQuestion, {
      tools: ["everything"],
      onToolCall: (call) =>
        console.log(`  model calls:  ${call.name} ${call.arguments} on ${call.source}`),
    }),
  );
  const toolCall = loop.steps[0].toolCalls[0];
  const sentBack = mock.requests[1].body.messages.at(-1);
  console.log(`  tool result:  ${toolCall.content} (${ms(toolCall.durationMs)})`);
  console.log(
    `  sent back:    ${sentBack.role} message for ${sentBack.tool_call_id}${sentBack.content === toolCall.content ? " with that result" : " WITHOUT the result"}`,
  );
  console.log(`  answer:       ${loop.content}`);
  console.log(
    `  ${loop.steps.length} model calls in ${ms(loopMs)}, the MCP server started and stopped for the run\n`,
  );

  console.log(bold("6. The same through the CLI"));
  const cli = path.join(
    path.dirname(require.resolve("fabricatio/package.json")),
    "dist/cli/main.js",
  );
  const cliAnswer = execFileSync(process.execPath, [cli, "ask", "What does thryd do?", "--json"], {
    cwd: temp,
    encoding: "utf8",
  });
  console.log(
    `  $ fabricatio ask "What does thryd do?" --json\n${cliAnswer.trimEnd().replace(/^/gm, "  ")}`,
  );
  const tokens = execFileSync(process.execPath, [cli, "tokens", "What does thryd do?"], {
    cwd: temp,
    encoding: "utf8",
  });
  console.log(`  $ fabricatio tokens "What does thryd do?"\n  ${tokens.trim()}`);
  mock.script(
    { type: "ok", toolCalls: [{ id: "call_cli", name: "get-sum", arguments: '{"a":2,"b":40}' }] },
    { type: "ok", content: "2 + 40 = 42." },
  );
  // Asynchronous: the mock answering this CLI process runs in this one.
  const withTools = await promisify(execFile)(
    process.execPath,
    [cli, "ask", "What is 2 + 40?", "--mcp", "everything"],
    { cwd: temp, encoding: "utf8", timeout: 60_000 },
  );
  console.log('  $ fabricatio ask "What is 2 + 40?" --mcp everything');
  console.log(`${withTools.stderr.trimEnd().replace(/^/gm, "  stderr│ ")}`);
  console.log(`${withTools.stdout.trimEnd().replace(/^/gm, "  stdout│ ")}\n`);

  console.log(bold("7. The same routers as an OpenAI-compatible gateway (fabricatio serve)"));
  const gateway = await createGateway({ config, env: {} });
  let gatewayMs;
  try {
    const { url } = await gateway.listen({ port: 0 });
    const [completion, elapsed] = await timed(async () => {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: "chat",
          messages: [{ role: "user", content: "What does the gateway do?" }],
        }),
      });
      return response.json();
    });
    gatewayMs = elapsed;
    console.log(
      `  $ curl ${url}/v1/chat/completions -d '{"model":"chat","messages":[{"role":"user","content":"What does the gateway do?"}]}'`,
    );
    console.log(
      `  → ${completion.object}, model ${completion.model}: ${JSON.stringify(completion.choices[0].message.content)} (${ms(elapsed)}, ${completion.usage.total_tokens} tokens; the group's rpm limits of step 2 apply here too)\n`,
    );
  } finally {
    await gateway.close({ timeoutMs: 1_000 });
  }

  upstreamRequests += mock.requestCount;
  console.log(bold("Summary"));
  const summary = [
    ["measure", "value"],
    ["first completion (upstream)", ms(firstMs)],
    [
      "same completion from the cache",
      `${ms(cachedMs)} (${(firstMs / cachedMs).toFixed(0)}× faster)`,
    ],
    ["burst of 8 under the limits", `${(burstMs / 1000).toFixed(1)} s`],
    ...[...perDeployment].map(([model, count]) => [`  requests to ${model}`, String(count)]),
    [
      "texts sent for embedding",
      `${firstBatch.length + secondBatch.length} of 5 asked (cache served the rest)`,
    ],
    [
      "tool loop with an MCP server",
      `${ms(loopMs)} (server start included; ${loop.steps.length} model calls, 1 tool call)`,
    ],
    ["one call through the gateway", ms(gatewayMs)],
    ["upstream requests in all", String(upstreamRequests)],
  ];
  console.log(table(summary).replace(/^/gm, "  "));
} finally {
  await llm?.close();
  await mock.close();
  rmSync(temp, { recursive: true, force: true });
}
