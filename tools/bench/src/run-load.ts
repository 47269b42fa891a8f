import { percentile } from "./stats.js";

/** What one load run measured in the client process. */
export interface LoadResult {
  concurrency: number;
  total: number;
  /** Completed requests per second of wall-clock time. */
  rate: number;
  /** Latency percentiles of single calls, in microseconds. */
  p50Us: number;
  p99Us: number;
  /** User + system CPU of the client process per request, in microseconds. */
  cpuUsPerRequest: number;
  /** Resident set size after the run, in bytes. */
  rssBytes: number;
}

/** Runs `total` calls with `concurrency` in flight at a time and measures each one. */
export async function runLoad(
  call: () => Promise<void>,
  concurrency: number,
  total: number,
): Promise<LoadResult> {
  const latencies = new Float64Array(total);
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const index = next++;
        const callStarted = process.hrtime.bigint();
        await call();
        latencies[index] = Number(process.hrtime.bigint() - callStarted) / 1000;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = Array.from(latencies).sort((left, right) => left - right);
  return {
    concurrency,
    total,
    rate: total / seconds,
    p50Us: percentile(sorted, 0.5),
    p99Us: percentile(sorted, 0.99),
    cpuUsPerRequest: (cpu.user + cpu.system) / total,
    rssBytes: process.memoryUsage().rss,
  };
}
