import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type CheckReport, checkReadmes, type FailureKind, formatReport } from "../src/index.js";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");

/** The README line holding `word`, 1-based. */
function lineOf(file: string, word: string): number {
  const lines = readFileSync(path.join(fixtures, file), "utf8").split("\n");
  const index = lines.findIndex((line) => line.includes(word));
  if (index < 0) throw new Error(`${word} is not in ${file}`);
  return index + 1;
}

/** Every failure of a report as `kind@line`. */
function failuresOf(report: CheckReport): string[] {
  return report.blocks.flatMap(({ failures }) =>
    failures.map((failure) => `${failure.kind}@${failure.line}`),
  );
}

describe("a README with one broken block of every kind", () => {
  let report: CheckReport;
  beforeAll(async () => {
    report = await checkReadmes({ root: fixtures, files: ["broken/README.md"] });
  }, 300_000);

  const expected: [FailureKind, string][] = [
    ["type-error", "TYPE-ERROR"],
    ["type-error", "NO-PRELUDE-OUTSIDE-FRAGMENTS"],
    ["type-error", "FRAGMENT-TYPE-ERROR"],
    ["wrong-output", "WRONG-OUTPUT"],
    ["prints-not-run", "PRINTS-NOT-RUN"],
    ["placeholder", "PLACEHOLDER"],
    ["wrong-output", "SHELL-WRONG-OUTPUT"],
  ];
  for (const [kind, word] of expected) {
    it(`reports ${kind} on the line marked ${word}`, () => {
      expect(failuresOf(report)).toContain(`${kind}@${lineOf("broken/README.md", word)}`);
    });
  }

  // These are reported at the block's fence: the line before the block's first line.
  const atFence: [FailureKind, string][] = [
    ["runtime-error", "RUNTIME-ERROR"],
    ["marker", "UNKNOWN-MARKER"],
    ["toml", "UNKNOWN-KEY"],
    ["toml", "INVALID-VALUE"],
    ["toml", "TOML-PLACEHOLDER"],
    ["toml", "UNREGISTERED-PROVIDER"],
    ["json", "JSON-ERROR"],
    ["runtime-error", "SHELL-EXIT"],
  ];
  for (const [kind, word] of atFence) {
    it(`reports ${kind} for the block holding ${word}`, () => {
      const block = report.blocks.find(({ block }) => block.code.includes(word));
      expect(block?.failures.map((failure) => failure.kind)).toContain(kind);
      expect(block?.failures[0]?.line).toBe(block?.block.line);
    });
  }

  it("fails every block of the file, each for the reason it was broken", () => {
    expect(report.globalErrors).toEqual([]);
    const broken = report.blocks.filter(({ failures }) => failures.length > 0);
    expect(broken).toHaveLength(report.blocks.length);
    expect(failuresOf(report)).toHaveLength(expected.length + atFence.length);
    expect(formatReport(report).failed).toBe(true);
  });

  it("names the README line of a runtime error, not the generated file", () => {
    const block = report.blocks.find(({ block }) => block.code.includes('"RUNTIME-ERROR"'));
    expect(block?.failures[0]?.message).toContain(
      `broken/README.md:${lineOf("broken/README.md", '"RUNTIME-ERROR"')}`,
    );
  });

  it("says which key is unknown and what was meant", () => {
    const block = report.blocks.find(({ block }) => block.code.includes("UNKNOWN-KEY"));
    expect(block?.failures[0]?.message).toBe(
      "warns when loaded: Unknown configuration key routing.rerank_deployments (from the block) is ignored; did you mean routing.reranker_deployments?",
    );
  });
});

describe("a README whose runnable block never ends", () => {
  it("fails it at the time limit, with what it printed so far", async () => {
    const report = await checkReadmes({
      root: fixtures,
      files: ["hang/README.md"],
      runTimeoutMs: 3_000,
    });
    const [failure] = report.blocks[0]?.failures ?? [];
    expect(failure?.kind).toBe("timeout");
    expect(failure?.message).toContain("still running after 3000 ms");
    expect(failure?.message).toContain("started");
  }, 120_000);
});

describe("a README whose every block passes", () => {
  it("passes: complete, fragment, runs through fabricatio.toml and the environment, shell, TOML, JSON", async () => {
    const report = await checkReadmes({ root: fixtures, files: ["sound/README.md"] });
    expect(report.globalErrors).toEqual([]);
    expect(report.blocks.map(({ action, failures }) => [action, failures])).toEqual([
      ["type-check", []],
      ["type-check-fragment", []],
      ["run", []],
      ["run", []],
      ["run-shell", []],
      ["load-toml-fragment", []],
      ["load-toml", []],
      ["parse-json", []],
      ["none", []],
    ]);
    expect(formatReport(report).failed).toBe(false);
  }, 300_000);
});
