import path from "node:path";
import { type BarGroup, renderBarChart } from "./bar-chart.js";
import { CONTENDER_LABELS, CONTENDERS, type ContenderName } from "./contenders.js";
import { writePng } from "./render-png.js";
import type { BenchResults, CellSummary } from "./results.js";

const isThryd = (name: string) => name.startsWith("thryd");

function cellGroup(
  label: string,
  cell: Partial<Record<ContenderName, CellSummary>> | undefined,
  pick: (summary: CellSummary) => number,
): BarGroup {
  return {
    label,
    bars: CONTENDERS.map((name) => ({
      label: CONTENDER_LABELS[name],
      value: cell?.[name] ? pick(cell[name]) : undefined,
      highlight: isThryd(name),
    })),
  };
}

/** Renders one PNG per measure into `dir`; returns the files written. */
export function writeCharts(results: BenchResults, dir: string): string[] {
  const files: string[] = [];
  const write = (name: string, svg: string) => {
    const file = path.join(dir, name);
    writePng(svg, file);
    files.push(file);
  };
  for (const latencyMs of results.latenciesMs) {
    write(
      `throughput-${latencyMs}ms.png`,
      renderBarChart({
        title: `Completion throughput, mock answering in ${latencyMs} ms`,
        unit: "req/s",
        groups: results.concurrencies.map((concurrency) =>
          cellGroup(
            `concurrency ${concurrency}`,
            results.cells[latencyMs]?.[concurrency],
            (summary) => summary.rate,
          ),
        ),
      }),
    );
  }
  write(
    "latency.png",
    renderBarChart({
      title: "p50 latency per call",
      unit: "µs",
      logScale: true,
      groups: results.latenciesMs.flatMap((latencyMs) =>
        [1, 256]
          .filter((concurrency) => results.concurrencies.includes(concurrency))
          .map((concurrency) =>
            cellGroup(
              `mock ${latencyMs} ms, concurrency ${concurrency}`,
              results.cells[latencyMs]?.[concurrency],
              (summary) => summary.p50Us,
            ),
          ),
      ),
    }),
  );
  write(
    "memory.png",
    renderBarChart({
      title: `RSS after ${results.memoryRequests.toLocaleString("en-US")} requests (fresh process each)`,
      unit: "MiB",
      digits: 1,
      groups: [
        {
          label: "resident set size",
          bars: CONTENDERS.map((name) => ({
            label: CONTENDER_LABELS[name],
            value: results.memory[name] ? results.memory[name].afterBytes / 2 ** 20 : undefined,
            highlight: isThryd(name),
          })),
        },
      ],
    }),
  );
  write(
    "rate-limit.png",
    renderBarChart({
      title: "Rate-limit accuracy: busiest window / quota (≤ 1.0 keeps the limit)",
      unit: "",
      digits: 2,
      reference: { value: 1, label: "quota" },
      groups: [
        {
          label: `quota ${results.rateLimit.quota} requests per ${results.rateLimit.windowS} s window`,
          bars: CONTENDERS.filter((name) => name !== "thryd-cache-hit").map((name) => ({
            label: CONTENDER_LABELS[name],
            value: results.rateLimit.accuracy[name],
            highlight: isThryd(name),
            note: results.rateLimit.unsupported[name] ? "no RPM limit to test" : undefined,
          })),
        },
      ],
    }),
  );
  const texts = [...new Set(results.tokens.map((row) => row.text))];
  write(
    "tokens.png",
    renderBarChart({
      title: "Token counting (o200k_base)",
      unit: "tokens/s",
      logScale: true,
      groups: texts.map((text) => ({
        label: `${text} text`,
        bars: results.tokens
          .filter((row) => row.text === text)
          .map((row) => ({
            label: row.counter.replace(" countTokens", "").replace(" encode_ordinary", ""),
            value: row.tokensPerS,
            highlight: row.counter.includes("thryd"),
          })),
      })),
    }),
  );
  return files;
}
