import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { NodePackageScanner } from "../src/index.js";

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

// Node's own answer, from a fresh process without the NODE_PATH that pnpm sets for scripts
// (ESM ignores NODE_PATH, and so does the scanner).
function resolvedVersions(names: readonly string[]): Record<string, string | null> {
  const script = `
    const { createRequire } = require("node:module");
    const requireHere = createRequire(process.cwd() + "/index.js");
    const answer = {};
    for (const name of JSON.parse(process.argv[1])) {
      try { answer[name] = requireHere(name + "/package.json").version; } catch { answer[name] = null; }
    }
    console.log(JSON.stringify(answer));`;
  const { NODE_PATH: _ignored, ...env } = process.env;
  const output = execFileSync(process.execPath, ["-e", script, JSON.stringify(names)], {
    cwd: packageRoot,
    env,
  });
  return JSON.parse(output.toString()) as Record<string, string | null>;
}

it("agrees with Node's own resolution on this workspace's real pnpm node_modules", async () => {
  const scanner = await new NodePackageScanner({ root: packageRoot }).refresh();
  // Direct dependencies, a workspace link, a root devDependency, packages pnpm keeps in .pnpm only.
  const names = [
    "@renovatebot/pep440",
    "semver",
    "@fabricatio/logger",
    "vitest",
    "@biomejs/biome",
    "winston",
    "logform",
  ];
  const expected = resolvedVersions(names);
  const actual = Object.fromEntries(names.map((name) => [name, scanner.version(name) ?? null]));
  expect(actual).toEqual(expected);
  expect(Object.values(expected).filter((version) => version !== null).length).toBeGreaterThan(3);
  expect(Object.values(expected)).toContain(null);
});
