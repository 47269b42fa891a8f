// Adds up the vitest JSON reports that `.ci/run` asks every package for and prints one closing
// line, "N passed, N failed", so a reader of the CI log need not scroll through turbo's output.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
for (const folder of ["packages", "tools"]) {
  for (const name of readdirSync(path.join(root, folder))) {
    const file = path.join(root, folder, name, "test-results.json");
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, "utf8"));
    reports += 1;
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    console.log(
      `${folder}/${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
    );
  }
}
if (reports === 0 || passed === 0) {
  console.error("no test report found: did the test step run?");
  process.exit(1);
}
console.log(
  `Tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`,
);
process.exit(failed > 0 ? 1 : 0);
