import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type CheckReport,
  checkReadmes,
  extractBlocks,
  findReadmes,
  planBlock,
} from "../src/index.js";

// The repository's READMEs, as `pnpm test` checks them: one test per checked block, so a broken
// example names its README and line in the test report.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const files = findReadmes(root);
const checked = files.flatMap((file) =>
  extractBlocks(readFileSync(path.join(root, file), "utf8"), file).filter(
    (block) => planBlock(block).action !== "none" || block.markers.length > 0,
  ),
);

let report: CheckReport;
beforeAll(async () => {
  report = await checkReadmes({ root, files });
}, 900_000);

it("finds the READMEs of the root, every package and every tool", () => {
  expect(files).toContain("README.md");
  expect(files).toContain("packages/thryd/README.md");
  expect(files).toContain("tools/readme-check/README.md");
  expect(report.globalErrors).toEqual([]);
});

for (const file of files) {
  const blocks = checked.filter((block) => block.file === file);
  if (blocks.length === 0) continue;
  describe(file, () => {
    for (const block of blocks) {
      const action = planBlock(block).action;
      const what = action === "run" || action === "run-shell" ? "runs as documented" : "checks";
      it(`the ${block.language} block at line ${block.line} ${what}`, () => {
        const found = report.blocks.find(
          (candidate) => candidate.block.file === file && candidate.block.line === block.line,
        );
        expect(found).toBeDefined();
        expect(
          found?.failures.map(
            (failure) => `${failure.kind} at line ${failure.line}: ${failure.message}`,
          ),
        ).toEqual([]);
      });
    }
  });
}
