// Re-renders BENCHMARKS.md and the charts from docs/bench/results.generated.json without measuring again:
// `node tools/bench/dist/render.js` after a change to the report's wording or the charts.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeCharts } from "./charts.js";
import { renderReport } from "./report.js";
import type { BenchResults } from "./results.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const chartDir = path.join(root, "docs", "bench");
const results = JSON.parse(
  readFileSync(path.join(chartDir, "results.generated.json"), "utf8"),
) as BenchResults;
const charts = writeCharts(results, chartDir);
writeFileSync(
  path.join(root, "BENCHMARKS.md"),
  renderReport(
    results,
    charts.map((file) => path.relative(root, file)),
  ),
);
