// Lines per second to a log file for @fabricatio/logger, plain winston with a minimal format and
// pino, side by side in one process and one run; and the cost of a call at a disabled level.
// Usage: pnpm --filter @fabricatio/logger bench   (needs a build; writes BENCHMARKS.md)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import winston from "winston";
import { flushLogger, getLogger, initLogger } from "../dist/index.js";

const LINES = 100_000;
const DISABLED_CALLS = 5_000_000;
const ROUNDS = 9;
const here = path.dirname(fileURLToPath(import.meta.url));
const temp = mkdtempSync(path.join(tmpdir(), "logger-bench-"));

async function fabricatio(round) {
  initLogger({ logDir: path.join(temp, `fabricatio-${round}`), level: "INFO" });
  const logger = getLogger("bench:file");
  const started = performance.now();
  for (let index = 0; index < LINES; index += 1) logger.info("request routed", { index });
  await flushLogger();
  return performance.now() - started;
}

async function plainWinston(round) {
  const logger = winston.createLogger({
    level: "info",
    format: winston.format.printf((info) => `${info.level} ${info.message} index=${info.index}`),
    transports: [
      new winston.transports.File({ filename: path.join(temp, `winston-${round}.log`) }),
    ],
  });
  const started = performance.now();
  for (let index = 0; index < LINES; index += 1) logger.info("request routed", { index });
  await new Promise((resolve) => {
    logger.transports[0].once("finish", resolve);
    logger.end();
  });
  return performance.now() - started;
}

async function plainPino(round) {
  const destination = pino.destination({
    dest: path.join(temp, `pino-${round}.log`),
    sync: false,
    mkdir: true,
  });
  const logger = pino({ level: "info" }, destination);
  const started = performance.now();
  for (let index = 0; index < LINES; index += 1) logger.info({ index }, "request routed");
  await new Promise((resolve) => {
    destination.once("close", resolve);
    destination.end();
  });
  return performance.now() - started;
}

function disabledCost(log) {
  const started = process.hrtime.bigint();
  for (let index = 0; index < DISABLED_CALLS; index += 1) log(index);
  return Number(process.hrtime.bigint() - started) / DISABLED_CALLS;
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

const contenders = [
  ["@fabricatio/logger", fabricatio],
  ["winston (minimal printf format)", plainWinston],
  ["pino (async destination)", plainPino],
];
const times = new Map(contenders.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, run] of contenders) times.get(name).push(await run(round));
}

initLogger({ level: "INFO", stream: { write() {} } });
const ours = getLogger("bench:disabled");
const silentWinston = winston.createLogger({
  level: "info",
  transports: [new winston.transports.Console({ silent: true })],
});
const silentPino = pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: true }));
// Warm the call sites before measuring.
disabledCost((index) => ours.debug(`value ${index}`));
const disabled = [
  ["@fabricatio/logger `debug(string)`", disabledCost((index) => ours.debug("value", { index }))],
  [
    "@fabricatio/logger `debug(() => string)`",
    disabledCost((index) => ours.debug(() => `value ${index}`)),
  ],
  ["winston `debug(string)`", disabledCost((index) => silentWinston.debug("value", { index }))],
  ["pino `debug(string)`", disabledCost((index) => silentPino.debug({ index }, "value"))],
];
rmSync(temp, { recursive: true, force: true });

const winstonMs = median(times.get("winston (minimal printf format)"));
const cpu =
  readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.+)/)?.[1] ?? cpus()[0]?.model;
const lines = [
  "# @fabricatio/logger benchmarks",
  "",
  "Command: `pnpm --filter @fabricatio/logger bench` (bench/compare.mjs, after `pnpm build`).",
  `Machine: ${cpu}, ${cpus().length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`,
  "",
  `## ${LINES.toLocaleString("en")} lines to a file, median of ${ROUNDS} rounds (each until the file is flushed)`,
  "",
  "| logger | ms | lines/s | vs plain winston |",
  "| --- | ---: | ---: | ---: |",
  ...contenders.map(([name]) => {
    const ms = median(times.get(name));
    return `| ${name} | ${ms.toFixed(0)} | ${Math.round((LINES / ms) * 1000).toLocaleString("en")} | ${(winstonMs / ms).toFixed(2)}× |`;
  }),
  "",
  "Our line carries more than winston's minimal one (time, padded level, source, key=value",
  "metadata); the target is to stay within 15% of plain winston.",
  "",
  `## A call at a disabled level (${DISABLED_CALLS.toLocaleString("en")} calls)`,
  "",
  "| call | ns/call |",
  "| --- | ---: |",
  ...disabled.map(([name, ns]) => `| ${name} | ${ns.toFixed(1)} |`),
  "",
  "Target: under 50 ns for ours.",
  "",
];
writeFileSync(path.join(here, "../BENCHMARKS.md"), lines.join("\n"));
console.log(lines.join("\n"));
