// Writes COMPILE-REPORT.md: the share of the corpus that compiles in Typst, and every failure.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkCorpus, readCorpus, renderReport } from "../test/typst-check.js";

const report = renderReport(checkCorpus(readCorpus()));
writeFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), "../COMPILE-REPORT.md"),
  report,
);
console.log(report);
