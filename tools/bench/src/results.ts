import type { ContenderName } from "./contenders.js";
import type { SelfTime } from "./cpu-profile.js";
import type { LoadResult } from "./run-load.js";
import type { TokenRow } from "./token-bench.js";

/** Best-of-rounds summary of one contender in one cell (upstream latency × concurrency). */
export interface CellSummary {
  /** Highest throughput of the rounds, req/s. */
  rate: number;
  /** Median over rounds of each round's p50 and p99, µs. */
  p50Us: number;
  p99Us: number;
  /** Least client CPU per request over rounds, µs. */
  cpuUsPerRequest: number;
  rounds: LoadResult[];
}

/** Everything one harness run measured, as the report needs it. */
export interface BenchResults {
  startedAt: string;
  durationS: number;
  machine: { cpu: string; cpus: number; memoryGb: number; loadAverage: number[]; os: string };
  node: string;
  versions: Record<string, string>;
  latenciesMs: number[];
  concurrencies: number[];
  /** Length of every timed run, ms. */
  runMs: number;
  rounds: number;
  /** cells[latencyMs][concurrency][contender] */
  cells: Record<number, Record<number, Partial<Record<ContenderName, CellSummary>>>>;
  /** Contenders (or measures of one) that could not run, with the reason. */
  failures: Partial<Record<ContenderName, string>>;
  /** Calls that threw during the throughput runs (excluded from the rates), per contender. */
  callErrors: Partial<Record<ContenderName, { calls: number; first: string }>>;
  memory: Partial<Record<ContenderName, { readyBytes: number; afterBytes: number }>>;
  memoryRequests: number;
  rateLimit: {
    quota: number;
    windowS: number;
    requests: number;
    concurrency: number;
    upstreamLatencyMs: number;
    accuracy: Partial<Record<ContenderName, number>>;
    busiestWindow: Partial<Record<ContenderName, number>>;
    durationS: Partial<Record<ContenderName, number>>;
    unsupported: Partial<Record<ContenderName, string>>;
  };
  /** RSS of each gateway process idle and with `count` streams open at once. */
  streams?: {
    count: number;
    chunkIntervalMs: number;
    gateways: Partial<Record<"gateway" | "portkey", { idleBytes: number; openBytes: number }>>;
    failures: Partial<Record<"gateway" | "portkey", string>>;
  };
  tokens: TokenRow[];
  profile?: {
    requests: number;
    concurrency: number;
    thryd: SelfTime[];
    raw: SelfTime[];
  };
}
