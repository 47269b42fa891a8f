import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkCorpus, readCorpus, renderReport } from "./typst-check.js";

describe("converted formulas against the real Typst compiler", () => {
  const formulas = readCorpus();
  const results = checkCorpus(formulas);

  it("has a corpus of at least 200 formulas", () => {
    expect(formulas.length).toBeGreaterThanOrEqual(200);
  });

  it("compiles at least 95% of them", () => {
    const passed = results.filter((result) => result.failure === undefined).length;
    expect(passed / results.length).toBeGreaterThanOrEqual(0.95);
  });

  it("matches the committed report, which lists every failure with its reason", () => {
    const report = readFileSync(
      path.join(path.dirname(fileURLToPath(import.meta.url)), "../COMPILE-REPORT.md"),
      "utf8",
    );
    expect(report).toBe(renderReport(results));
  });
});
