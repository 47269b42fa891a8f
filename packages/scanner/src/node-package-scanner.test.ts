import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ScannerNotRefreshedError, ScanRootNotFoundError } from "./errors.js";
import { NodePackageScanner } from "./node-package-scanner.js";

let workspace: string;
let project: string;

async function writePackage(directory: string, manifest: Record<string, unknown> | string) {
  await mkdir(directory, { recursive: true });
  const text = typeof manifest === "string" ? manifest : JSON.stringify(manifest);
  await writeFile(join(directory, "package.json"), text);
}

async function link(target: string, path: string) {
  await mkdir(dirname(path), { recursive: true });
  await symlink(relative(dirname(path), target), path, "dir");
}

// workspace/node_modules: an outer package and a shadowed copy of `plain`.
// workspace/project/node_modules: pnpm layout with a scoped package and an umbrella with features.
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), "scanner-node-"));
  project = join(workspace, "project");
  const outer = join(workspace, "node_modules");
  await writePackage(join(outer, "outer"), { name: "outer", version: "3.0.0" });
  await writePackage(join(outer, "plain"), { name: "plain", version: "0.0.1" });

  const modules = join(project, "node_modules");
  const store = join(modules, ".pnpm");
  await writePackage(join(modules, "plain"), { name: "plain", version: "1.2.3" });
  await writePackage(join(modules, "broken"), "{ not json");
  await writePackage(join(modules, "@scope", "versionless"), { name: "@scope/versionless" });
  await mkdir(join(modules, ".bin"), { recursive: true });
  await writeFile(join(modules, ".modules.yaml"), "layoutVersion: 5\n");

  const rag = join(store, "@fabricatio+rag@0.1.0", "node_modules", "@fabricatio", "rag");
  await writePackage(rag, { name: "@fabricatio/rag", version: "0.1.0" });
  const old = join(store, "old-peer@1.0.0", "node_modules", "old-peer");
  await writePackage(old, { name: "old-peer", version: "1.0.0" });
  const umbrellaHome = join(store, "fabricatio@1.0.0_@fabricatio+rag@0.1.0", "node_modules");
  await writePackage(join(umbrellaHome, "fabricatio"), {
    name: "fabricatio",
    version: "1.0.0",
    peerDependencies: { "@fabricatio/rag": "^0.1.0", "old-peer": ">=2", plain: "*" },
    fabricatio: {
      features: {
        rag: ["@fabricatio/rag"],
        tex: ["@fabricatio/tex-convertor"],
        mixed: ["@fabricatio/rag", "plain", "outer"],
        old: ["old-peer"],
      },
    },
  });
  // pnpm links peers beside the package inside its virtual-store entry.
  await link(rag, join(umbrellaHome, "@fabricatio", "rag"));
  await link(old, join(umbrellaHome, "old-peer"));
  await link(join(umbrellaHome, "fabricatio"), join(modules, "fabricatio"));
  await link(rag, join(modules, "@fabricatio", "rag"));
});

describe("NodePackageScanner", () => {
  it("lists packages visible from the root, nearest node_modules first, scopes and pnpm links included", async () => {
    const scanner = await new NodePackageScanner({ root: project }).refresh();
    expect(scanner.listInstalled().map(({ name, version }) => `${name}@${version}`)).toEqual([
      "@fabricatio/rag@0.1.0",
      "fabricatio@1.0.0",
      "outer@3.0.0",
      "plain@1.2.3",
    ]);
    expect(scanner.isInstalled("@fabricatio/rag")).toBe(true);
    expect(scanner.version("plain")).toBe("1.2.3");
    expect(scanner.isInstalled("old-peer")).toBe(false);
    expect(scanner.listInstalled().find((entry) => entry.name === "fabricatio")?.path).toContain(
      join(".pnpm", "fabricatio@1.0.0_@fabricatio+rag@0.1.0"),
    );
  });

  it("reports unreadable or versionless package.json files and skips them", async () => {
    const scanner = await new NodePackageScanner({ root: project }).refresh();
    expect(scanner.isInstalled("broken")).toBe(false);
    expect(
      scanner.problems.map((problem) => [problem.code, relative(project, problem.path)]),
    ).toEqual([
      [
        "SCANNER_CORRUPT_PACKAGE_JSON",
        join("node_modules", "@scope", "versionless", "package.json"),
      ],
      ["SCANNER_CORRUPT_PACKAGE_JSON", join("node_modules", "broken", "package.json")],
    ]);
  });

  it("resolves a feature's peers from the package's own pnpm directory and checks peer ranges", async () => {
    const scanner = await new NodePackageScanner({ root: project }).refresh();
    expect(scanner.features("fabricatio")).toEqual(["mixed", "old", "rag", "tex"]);
    expect(scanner.featuresSatisfied("fabricatio", "rag")).toBe(true);
    expect(scanner.featuresSatisfied("fabricatio", "mixed")).toBe(true);
    expect(scanner.featuresSatisfied("fabricatio", "tex")).toBe(false);
    expect(scanner.featuresSatisfied("fabricatio", "old")).toBe(false);
  });

  it("answers false for an unknown package or feature", async () => {
    const scanner = await new NodePackageScanner({ root: project }).refresh();
    expect(scanner.featuresSatisfied("fabricatio", "nope")).toBe(false);
    expect(scanner.featuresSatisfied("plain", "rag")).toBe(false);
    expect(scanner.featuresSatisfied("missing", "rag")).toBe(false);
  });

  it("sees only the outer node_modules from a directory outside the project", async () => {
    const scanner = await new NodePackageScanner({ root: workspace }).refresh();
    expect(scanner.version("plain")).toBe("0.0.1");
    expect(scanner.isInstalled("fabricatio")).toBe(false);
  });

  it("refuses queries before refresh and names a missing root", async () => {
    expect(() => new NodePackageScanner({ root: project }).isInstalled("plain")).toThrow(
      ScannerNotRefreshedError,
    );
    const missing = join(workspace, "missing");
    await expect(new NodePackageScanner({ root: missing }).refresh()).rejects.toThrow(
      ScanRootNotFoundError,
    );
  });
});
