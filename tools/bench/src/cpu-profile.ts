/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) that self time needs. */
export interface CpuProfile {
  nodes: readonly {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: readonly number[];
  timeDeltas: readonly number[];
}

/** Self time of one function, summed over every node of the call tree where it appears. */
export interface SelfTime {
  /** `name (file:line)`, the line 1-based. */
  frame: string;
  url: string;
  selfMs: number;
  /** Share of all sampled time, idle included, 0..1. */
  share: number;
}

/** Self time per function, largest first; the first sample is skipped, idle time is a frame. */
export function selfTimes(profile: CpuProfile): SelfTime[] {
  const frameOf = new Map<number, { frame: string; url: string }>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? `${url.split("/").slice(-2).join("/")}:${lineNumber + 1}` : "native";
    frameOf.set(node.id, { frame: `${functionName || "(anonymous)"} (${file})`, url });
  }
  const totals = new Map<string, { url: string; micros: number }>();
  let all = 0;
  profile.samples.forEach((id, index) => {
    // The first delta runs from the profile's start time, across the Profiler.start call and
    // however long the sampler took to begin: it is not time spent in its frame.
    if (index === 0) return;
    // The delta at index i is the time before sample i; it belongs to the sample it precedes.
    const micros = Math.max(0, profile.timeDeltas[index] ?? 0);
    all += micros;
    const frame = frameOf.get(id);
    if (!frame) return;
    const entry = totals.get(frame.frame) ?? { url: frame.url, micros: 0 };
    entry.micros += micros;
    totals.set(frame.frame, entry);
  });
  return [...totals.entries()]
    .map(([frame, entry]) => ({
      frame,
      url: entry.url,
      selfMs: entry.micros / 1000,
      share: all > 0 ? entry.micros / all : 0,
    }))
    .sort((left, right) => right.selfMs - left.selfMs);
}

/** Adds up several profiles' self times per function; shares are recomputed over the sum. */
export function mergeSelfTimes(lists: readonly (readonly SelfTime[])[]): SelfTime[] {
  const totals = new Map<string, { url: string; selfMs: number }>();
  let all = 0;
  for (const rows of lists) {
    for (const row of rows) {
      const entry = totals.get(row.frame) ?? { url: row.url, selfMs: 0 };
      entry.selfMs += row.selfMs;
      totals.set(row.frame, entry);
      all += row.selfMs;
    }
  }
  return [...totals.entries()]
    .map(([frame, entry]) => ({
      frame,
      url: entry.url,
      selfMs: entry.selfMs,
      share: all > 0 ? entry.selfMs / all : 0,
    }))
    .sort((left, right) => right.selfMs - left.selfMs);
}

/** Where a frame's code comes from, for a coarse breakdown of a profile. */
export type Origin =
  | "thryd"
  | "undici"
  | "node internals"
  | "garbage collector"
  | "idle"
  | "native and V8"
  | "benchmark harness"
  | "other";

/** Classifies a profile frame by its script URL and name. */
export function originOf(row: Pick<SelfTime, "frame" | "url">): Origin {
  if (row.url.includes("/thryd/dist/")) return "thryd";
  if (row.url.includes("/undici/")) return "undici";
  if (row.url.startsWith("node:")) return "node internals";
  if (row.url.includes("/bench/dist/")) return "benchmark harness";
  if (row.frame.startsWith("(garbage collector)")) return "garbage collector";
  if (row.frame.startsWith("(idle)")) return "idle";
  if (row.url === "" || row.url.startsWith("wasm")) return "native and V8";
  return "other";
}

/** Share of sampled time per origin, largest first. */
export function sharesByOrigin(rows: readonly SelfTime[]): { origin: Origin; share: number }[] {
  const totals = new Map<Origin, number>();
  for (const row of rows) {
    const origin = originOf(row);
    totals.set(origin, (totals.get(origin) ?? 0) + row.share);
  }
  return [...totals.entries()]
    .map(([origin, share]) => ({ origin, share }))
    .sort((left, right) => right.share - left.share);
}
