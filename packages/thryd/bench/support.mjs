// What the benchmark files share: the mock server in a child process, a concurrent load loop
// and number formatting.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const mockCli = require
  .resolve("@fabricatio/mock-llm/package.json")
  .replace("package.json", "dist/cli.js");

/** Starts the mock LLM server in its own process, so it does not share the client's event loop. */
export async function startMock() {
  const child = spawn(process.execPath, [mockCli, "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (chunk) => resolve(String(chunk).trim().split(" ").at(-1)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

/**
 * Runs `call` `total` times with `concurrency` calls in flight; returns requests per second, wall
 * time per request and the client's CPU time (user + system) per request, in µs.
 */
export async function runConcurrent(total, concurrency, call) {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        await call();
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    rate: total / seconds,
    usPerRequest: (seconds * 1e6) / total,
    cpuUsPerRequest: (cpu.user + cpu.system) / total,
  };
}

/** A number with thousands separators and a fixed count of decimals. */
export const fmt = (value, digits = 0) =>
  value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
