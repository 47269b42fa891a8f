// Converts a 1 MB Markdown document holding 5,000 formulas (a quarter display, the rest inline,
// plus code spans, fenced blocks and prices that must stay prose), cold and warm.
// Usage: pnpm --filter @fabricatio/tex-convertor bench   (needs a build; writes BENCHMARKS.md)
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { convertAllTexMath } from "../dist/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = readFileSync(path.join(here, "../test/fixtures/formulas.tex"), "utf8")
  .split("\n")
  .filter((line) => line.trim() && !line.startsWith("%"));
const FORMULAS = 5000;
const parts = [];
for (let index = 0; index < FORMULAS; index += 1) {
  // Every formula is made distinct so the per-call memo does not hide the conversion cost.
  const formula = `${corpus[index % corpus.length]} + x_{${index}}`;
  if (index % 4 === 0)
    parts.push(`Paragraph ${index}: the result follows.\n\n$$\n${formula}\n$$\n\n`);
  else parts.push(`Item ${index} costs $5 and $10; see \`$PATH\`, where $${formula}$ holds. `);
  if (index % 50 === 0) parts.push("\n```sh\necho $HOME $$ $x$\n```\n");
}
let document = parts.join("");
const filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ";
while (document.length < 1_000_000) document += filler;

const runs = [];
for (let round = 0; round < 5; round += 1) {
  const started = performance.now();
  convertAllTexMath(document);
  runs.push(performance.now() - started);
}
const cold = runs[0];
const warm = [...runs.slice(1)].sort((a, b) => a - b)[1];
const cpu =
  readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.+)/)?.[1] ?? cpus()[0]?.model;
const lines = [
  "# @fabricatio/tex-convertor benchmarks",
  "",
  "Command: `pnpm --filter @fabricatio/tex-convertor bench` (bench/convert.mjs, after `pnpm build`).",
  `Machine: ${cpu}, ${cpus().length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`,
  "",
  `A ${(document.length / 1e6).toFixed(2)} MB Markdown document with ${FORMULAS.toLocaleString("en")} distinct formulas (a quarter display math),`,
  "prices, code spans and fenced code blocks; `convertAllTexMath` on all of it.",
  "",
  "| run | ms |",
  "| --- | ---: |",
  `| first (cold, includes JIT warm-up) | ${cold.toFixed(0)} |`,
  `| warm, median of 4 | ${warm.toFixed(0)} |`,
  "",
  "Target: under 1 s.",
  "",
];
writeFileSync(path.join(here, "../BENCHMARKS.md"), lines.join("\n"));
console.log(lines.join("\n"));
