import { percentile } from "./stats.js";

/** What one load run measured in the client process. */
export interface LoadResult {
  concurrency: number;
  /** Requests completed. */
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
  /** Calls that threw; they count in neither `total` nor the latencies. */
  errors: number;
  /** Message of the first call that threw. */
  firstError?: string;
}

/** How long a load runs: a number of requests, or a time after which no new request starts. */
export type LoadSize = { total: number } | { durationMs: number };

/**
 * Keeps `concurrency` calls in flight until `size` is reached, and measures each call. A timed
 * run gives every contender the same wall-clock share of a round however fast it is, so a slow
 * peer does not stretch the run and a fast one is not measured over a blip.
 */
export async function runLoad(
  call: () => Promise<void>,
  concurrency: number,
  size: LoadSize,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const limit = "total" in size ? size.total : Number.POSITIVE_INFINITY;
  const started = process.hrtime.bigint();
  const deadline =
    "durationMs" in size ? started + BigInt(Math.round(size.durationMs * 1e6)) : undefined;
  let issued = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, limit) }, async () => {
      while (issued < limit && (deadline === undefined || process.hrtime.bigint() < deadline)) {
        issued++;
        const callStarted = process.hrtime.bigint();
        try {
          await call();
          latencies.push(Number(process.hrtime.bigint() - callStarted) / 1000);
        } catch (error) {
          // An overloaded peer may drop a connection; count it against the peer, keep measuring.
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((left, right) => left - right);
  return {
    concurrency,
    total: latencies.length,
    rate: latencies.length / seconds,
    p50Us: percentile(latencies, 0.5),
    p99Us: percentile(latencies, 0.99),
    cpuUsPerRequest: (cpu.user + cpu.system) / latencies.length,
    rssBytes: process.memoryUsage().rss,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
  };
}
