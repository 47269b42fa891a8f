// Start-up time of the `fabricatio` CLI and of `import("fabricatio")`, side by side with bare
// Node (`node -e 0`) in one run, plus what importing each package costs on its own.
// Usage: pnpm --filter fabricatio bench   (turbo builds first; writes BENCHMARKS.md)
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const packageRoot = path.resolve(here, "..");
const cli = path.join(packageRoot, "dist", "cli", "main.js");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

const importOf = (specifier) => [
  "--input-type=module",
  "-e",
  `await import(${JSON.stringify(specifier)});`,
];

/** What is timed: a label, Node's arguments, and the budget over bare Node in ms, if any. */
const COMMANDS = [
  { label: "node -e 0 (bare Node)", args: ["-e", "0"] },
  { label: "fabricatio --version", args: [cli, "--version"], budgetMs: 150 },
  { label: "fabricatio --help", args: [cli, "--help"], budgetMs: 150 },
  { label: 'fabricatio tokens "hello world"', args: [cli, "tokens", "hello world"], budgetMs: 300 },
  { label: 'import("fabricatio")', args: importOf("fabricatio") },
];

const PACKAGES = [
  "@fabricatio/constants",
  "@fabricatio/signify",
  "@fabricatio/logger",
  "@fabricatio/config",
  "@fabricatio/thryd",
  "@fabricatio/thryd/tokens",
  "@fabricatio/scanner",
  "@fabricatio/tex-convertor",
  "@fabricatio/deck-loader",
  "@fabricatio/mcp-manager",
  "@fabricatio/stubgen",
];

const cpuPreload = path.join(here, "cpu-on-exit.cjs");

// Wall time from spawn to exit, and the child's own CPU time (user + system), both in ms. The
// CPU time moves less than the wall time when other work shares the machine.
function timeOnce(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd: packageRoot,
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", NODE_OPTIONS: `--require ${cpuPreload}` },
    timeout: 60_000,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  }
  return { wallMs, cpuMs: Number(String(result.output[3])) / 1000 };
}

const median = (values) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
};

// Every round runs every command once, in an order rotated each round, so the machine's drift
// hits all of them alike. Reported: the median and the best of the rounds, and the difference to
// bare Node of the same round (its median over rounds), which cancels most of that drift.
function measure(commands, rounds) {
  const samples = commands.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < commands.length; step++) {
      const index = (round + step) % commands.length;
      samples[index].push(timeOnce(commands[index].args));
    }
  }
  return samples;
}

const fmt = (value, digits = 0) =>
  value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

const addedOver = (samples, bare, field) =>
  median(samples.map((sample, round) => sample[field] - bare[round][field]));

const loadBefore = loadavg();
timeOnce(["-e", "0"]);
const cliSamples = measure(COMMANDS, ROUNDS);
const bare = cliSamples[0];
const cliRows = COMMANDS.map((command, index) => {
  const samples = cliSamples[index];
  return {
    ...command,
    median: median(samples.map((sample) => sample.wallMs)),
    best: Math.min(...samples.map((sample) => sample.wallMs)),
    added: addedOver(samples, bare, "wallMs"),
    cpu: median(samples.map((sample) => sample.cpuMs)),
    addedCpu: addedOver(samples, bare, "cpuMs"),
  };
});

const packageCommands = [
  { label: "node -e 0", args: ["-e", "0"] },
  ...PACKAGES.map((name) => ({ label: name, args: importOf(name) })),
];
const packageSamples = measure(packageCommands, Math.max(5, Math.floor(ROUNDS / 2)));
const packageRows = packageCommands.slice(1).map((command, index) => ({
  label: command.label,
  added: addedOver(packageSamples[index + 1], packageSamples[0], "wallMs"),
  addedCpu: addedOver(packageSamples[index + 1], packageSamples[0], "cpuMs"),
}));
const loadAfter = loadavg();

const cpuModel = () => {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((entry) => entry.startsWith("model name"));
    if (line) return line.split(":")[1].trim();
  } catch {}
  return cpus()[0]?.model ?? "unknown";
};

const signed = (ms) => `${ms < 0 ? "−" : "+"}${fmt(Math.abs(ms))} ms`;

const verdict = (row) => {
  if (row.budgetMs === undefined) return "";
  return row.added <= row.budgetMs ? "yes" : "**no**";
};

const report = `# Benchmarks of fabricatio (CLI start-up and import cost)

Command: \`pnpm --filter fabricatio bench\` (turbo builds first; runs \`node bench/startup.mjs\`,
which writes this file). \`BENCH_ROUNDS\` sets the rounds (default 15).

- Machine: ${cpuModel()}, ${cpus().length} logical CPUs, ${fmt(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}
- Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC
- Load average before the run: ${loadBefore.map((value) => fmt(value, 2)).join(", ")}; after: ${loadAfter.map((value) => fmt(value, 2)).join(", ")}

Each command is a fresh \`node\` process started with \`spawnSync\` and timed from spawn to exit;
its own CPU time (user + system) is written on exit by a preloaded \`bench/cpu-on-exit.cjs\`.
${ROUNDS} rounds; in each, every command runs once, in an order rotated every round. "Added" is the
median over rounds of (command − \`node -e 0\` of the same round): the cost of our code over Node's
own start, which cancels some of the noise of a shared machine. The budgets are on wall time.
Read every figure against the load average above: on a busy machine each grows, bare Node's
included, and wall time most (a process waits for a CPU as well as using one).

## The CLI and the umbrella import

| Command | Wall, median | Wall, best | Wall added over bare Node | Budget | Met | CPU, median | CPU added |
| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |
${cliRows.map((row) => `| ${row.label} | ${fmt(row.median)} ms | ${fmt(row.best)} ms | ${row.label.startsWith("node -e") ? "—" : signed(row.added)} | ${row.budgetMs === undefined ? "—" : `+${row.budgetMs} ms`} | ${verdict(row)} | ${fmt(row.cpu)} ms | ${row.label.startsWith("node -e") ? "—" : signed(row.addedCpu)} |`).join("\n")}

## What importing each package costs on its own

\`node --input-type=module -e 'await import("<package>")'\`, added over bare Node (median of
${Math.max(5, Math.floor(ROUNDS / 2))} rounds). The umbrella's root entry re-exports the packages \`createLLM\` needs
(config, thryd, logger) and the small constants and signify; scanner, tex-convertor, deck-loader,
mcp-manager and stubgen are subpath-only (\`fabricatio/stubgen\`, …) because of these figures.
\`@fabricatio/thryd/tokens\` is the token counter alone, what \`fabricatio tokens\` loads (its
rank table is built on the first count, which the table above includes).

| Package | Wall added over bare Node | CPU added |
| --- | ---: | ---: |
${packageRows.map((row) => `| \`${row.label}\` | ${signed(row.added)} | ${signed(row.addedCpu)} |`).join("\n")}
`;

writeFileSync(path.join(packageRoot, "BENCHMARKS.md"), report);
process.stdout.write(report);
