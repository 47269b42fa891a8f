// Exports a project of 10,000 notes and 100 media files (of 20 kB), three times, and reports the
// median. Usage: pnpm --filter @fabricatio/deck-loader bench   (needs a build; writes BENCHMARKS.md)
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { initLogger } from "@fabricatio/logger";
import { AnkiDeckLoader, createProjectTemplate } from "../dist/index.js";

initLogger({ level: "ERROR" });
const NOTES = 10_000;
const MEDIA = 100;
const here = path.dirname(fileURLToPath(import.meta.url));
const project = mkdtempSync(path.join(tmpdir(), "deck-bench-"));
createProjectTemplate(project);
const rows = Array.from(
  { length: NOTES },
  (_, index) =>
    `"Question ${index} <img src=""img${index % MEDIA}.png"">","Answer, number ${index}"`,
);
writeFileSync(path.join(project, "data/basic_card.csv"), `Front,Back\n${rows.join("\n")}\n`);
for (let index = 0; index < MEDIA; index += 1)
  writeFileSync(path.join(project, `media/img${index}.png`), randomBytes(20_000));

const loader = new AnkiDeckLoader(project);
const times = [];
const output = path.join(project, "out.apkg");
for (let round = 0; round < 3; round += 1) {
  const started = performance.now();
  await loader.exportDeck(output);
  times.push(performance.now() - started);
}
const size = statSync(output).size;
rmSync(project, { recursive: true, force: true });
times.sort((a, b) => a - b);
const cpu =
  readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.+)/)?.[1] ?? cpus()[0]?.model;
const lines = [
  "# @fabricatio/deck-loader benchmarks",
  "",
  "Command: `pnpm --filter @fabricatio/deck-loader bench` (bench/export.mjs, after `pnpm build`).",
  `Machine: ${cpu}, ${cpus().length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`,
  "",
  `\`exportDeck\` of a project with ${NOTES.toLocaleString("en")} notes (CSV with quoted fields and image references) and ${MEDIA} media files of 20 kB: load, validate, build the SQLite collection, zip, write (temp file and rename).`,
  "",
  "| measure | value |",
  "| --- | ---: |",
  `| fastest of 3 | ${times[0].toFixed(0)} ms |`,
  `| median of 3 | ${times[1].toFixed(0)} ms |`,
  `| package size | ${(size / 1e6).toFixed(1)} MB |`,
  "",
  "Target: under 2 s.",
  "",
];
writeFileSync(path.join(here, "../BENCHMARKS.md"), lines.join("\n"));
console.log(lines.join("\n"));
