import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { discoverPackages, generatePackageDeclarations, verifyDeclaration } from "../src/index.js";
import { declarationDiagnostics, sourceExportNames } from "./typescript-oracle.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const packageDirs = readdirSync(path.join(repoRoot, "packages")).map((name) =>
  path.join(repoRoot, "packages", name),
);

describe("the workspace's own packages", () => {
  it("every package opts in to stubgen and points its types at the generated file", () => {
    const optedIn = discoverPackages(repoRoot).map((pkg) => pkg.dir);
    expect(optedIn.sort()).toEqual(packageDirs.sort());
  });

  describe.each(packageDirs.map((dir) => [path.basename(dir), dir]))("%s", (_name, dir) => {
    it("rolls up into a declaration that compiles standalone and exports what TypeScript's compiler reports", () => {
      const generated = generatePackageDeclarations({ packageDir: dir });
      expect(generated.length).toBeGreaterThan(0);
      const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
      for (const declaration of generated) {
        expect(manifest.exports[declaration.subpath].types).toBe(
          `./${path.relative(dir, declaration.outputPath).split(path.sep).join("/")}`,
        );
        const report = verifyDeclaration(declaration.outputPath, declaration.text);
        expect(report.diagnostics).toEqual([]);
        expect(declarationDiagnostics(declaration.outputPath, declaration.text)).toEqual([]);
        const sourceEntry = path
          .relative(dir, declaration.outputPath)
          .replace(/^dist/, "src")
          .replace(/\.d\.ts$/, ".ts");
        expect(report.exportedNames).toEqual(sourceExportNames(dir, sourceEntry));
      }
      // Two compiles of the whole package (stubgen's and the oracle's): seconds alone, up to a
      // minute or more for the umbrella's eleven entries under a full parallel `pnpm test`.
    }, 180_000);
  });
});
