import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const packageRoot = path.resolve(here, "..");
const recorder = path.join(here, "fixtures", "record-modules.mjs");
const cli = path.join(packageRoot, "dist", "cli", "main.js");
const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-graph-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let runs = 0;

/** The packages (by their node_modules name) of every module a Node process loads. */
async function loadedPackages(args: string[]): Promise<Set<string>> {
  const list = path.join(temp, `modules-${runs++}.txt`);
  await run(process.execPath, ["--import", recorder, ...args], {
    cwd: packageRoot,
    env: { ...process.env, FABRICATIO_MODULE_LIST: list, NO_COLOR: "1" },
    timeout: 60_000,
  });
  const packages = new Set<string>();
  for (const url of readFileSync(list, "utf8").split("\n")) {
    if (!url.startsWith("file:")) continue;
    // The real path of a workspace package has no node_modules: name it by its folder.
    const file = fileURLToPath(url);
    const match =
      /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file) ?? /\/packages\/([^/]+)\//.exec(file);
    if (match) packages.add(match[1]!);
  }
  return packages;
}

const importOf = (specifier: string) => [
  "--input-type=module",
  "-e",
  `await import(${JSON.stringify(specifier)});`,
];

const TYPESCRIPT = ["typescript", "ts-morph", "@ts-morph/common"];

describe("What importing fabricatio loads", () => {
  it("leaves TypeScript and ts-morph out of import('fabricatio')", async () => {
    const packages = await loadedPackages(importOf("fabricatio"));
    expect(packages).toContain("thryd");
    for (const heavy of [...TYPESCRIPT, "stubgen", "mcp-manager", "@modelcontextprotocol/sdk"]) {
      expect(packages).not.toContain(heavy);
    }
  }, 60_000);

  it("sees ts-morph when fabricatio/stubgen is imported, so the check above can fail", async () => {
    const packages = await loadedPackages(importOf("fabricatio/stubgen"));
    expect(packages).toContain("ts-morph");
  }, 60_000);
});

describe("What a CLI run loads", () => {
  it("loads nothing but the CLI itself for --version, and commander for --help", async () => {
    expect([...(await loadedPackages([cli, "--version"]))]).toEqual(["fabricatio"]);
    expect([...(await loadedPackages([cli, "--help"]))].sort()).toEqual([
      "commander",
      "fabricatio",
    ]);
  }, 60_000);

  it("loads the token counter but not the router, the config or the logger for tokens", async () => {
    const packages = await loadedPackages([cli, "tokens", "hello", "world"]);
    expect(packages).toContain("gpt-tokenizer");
    for (const heavy of ["undici", "winston", "zod", "cosmiconfig", "tiktoken", "typescript"]) {
      expect(packages).not.toContain(heavy);
    }
  }, 60_000);
});
