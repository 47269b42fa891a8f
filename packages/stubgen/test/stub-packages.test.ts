import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EntryNotFoundError, OutdatedDeclarationError, stubPackages } from "../src/index.js";
import { runStubgenCli } from "../src/stubgen-cli.js";

const here = path.dirname(fileURLToPath(import.meta.url));
// A test compiles the fixture workspace once or twice: seconds alone, a minute or more under a
// full parallel `pnpm test` on two cores.
const COMPILE_LIMIT_MS = 180_000;
const packageRoot = path.resolve(here, "..");
let workspace: string;
let output: string;

function makeWorkspace(): string {
  const root = mkdtempSync(path.join(tmpdir(), "stubgen-workspace-"));
  writeFileSync(
    path.join(root, "pnpm-workspace.yaml"),
    "packages:\n  - packages/*\n  - '!packages/ignored'\n",
  );
  cpSync(path.join(here, "fixtures/sample"), path.join(root, "packages/sample"), {
    recursive: true,
  });
  // The fixture's imports (commander, @fabricatio/logger, @types/node) resolve from here.
  symlinkSync(
    path.join(packageRoot, "node_modules"),
    path.join(root, "packages/sample/node_modules"),
    "dir",
  );
  cpSync(path.join(here, "fixtures/sample"), path.join(root, "packages/opted-out"), {
    recursive: true,
  });
  const optedOut = path.join(root, "packages/opted-out/package.json");
  const manifest = JSON.parse(readFileSync(optedOut, "utf8"));
  writeFileSync(
    optedOut,
    JSON.stringify({ ...manifest, name: "@fixture/opted-out", fabricatio: {} }),
  );
  return root;
}

// A fresh workspace per test: no test depends on what another wrote (vitest --sequence.shuffle).
beforeEach(() => {
  workspace = makeWorkspace();
  output = path.join(workspace, "packages/sample/dist/index.d.ts");
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

describe("stubPackages", () => {
  it(
    "writes the declarations of opted-in packages only, then finds them unchanged",
    () => {
      writeFileSync(path.join(workspace, "stale.d.ts.map"), "");
      const first = stubPackages({ root: workspace });
      expect(first.map((result) => [result.packageName, result.subpath, result.status])).toEqual([
        ["@fixture/sample", ".", "written"],
        ["@fixture/sample", "./extra", "written"],
      ]);
      expect(readFileSync(output, "utf8")).toBe(first[0]?.text);
      expect(existsSync(path.join(workspace, "packages/opted-out/dist"))).toBe(false);
      const second = stubPackages({ root: workspace, check: true });
      expect(second.map((result) => result.status)).toEqual(["unchanged", "unchanged"]);
    },
    COMPILE_LIMIT_MS,
  );

  it(
    "fails the check, naming the file, when a declaration on disk is out of date",
    () => {
      stubPackages({ root: workspace });
      writeFileSync(output, `${readFileSync(output, "utf8")}// edited\n`);
      let caught: unknown;
      try {
        stubPackages({ root: workspace, check: true });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(OutdatedDeclarationError);
      expect((caught as OutdatedDeclarationError).files).toEqual([output]);
      expect((caught as OutdatedDeclarationError).code).toBe("STUBGEN_OUTDATED");
      expect(readFileSync(output, "utf8")).toContain("// edited");
    },
    COMPILE_LIMIT_MS,
  );

  it("rejects a filter naming a package that does not opt in", () => {
    expect(() => stubPackages({ root: workspace, filter: ["@fixture/opted-out"] })).toThrow(
      EntryNotFoundError,
    );
    expect(() => stubPackages({ root: workspace, filter: ["@fixture/opted-out"] })).toThrow(
      /"@fixture\/opted-out" is not a workspace package that opts in to stubgen/,
    );
  });
});

describe("fabricatio-stubgen packages", () => {
  function run(argv: string[]) {
    const io = { out: "", err: "" };
    const code = runStubgenCli(argv, {
      stdout: (text) => {
        io.out += text;
      },
      stderr: (text) => {
        io.err += text;
      },
      cwd: workspace,
    });
    return code.then((exitCode) => ({ exitCode, ...io }));
  }

  it(
    "rewrites an edited declaration and reports what it did",
    async () => {
      stubPackages({ root: workspace });
      writeFileSync(output, `${readFileSync(output, "utf8")}// edited\n`);
      const result = await run(["packages", "--filter", "@fixture/sample"]);
      expect(result.exitCode).toBe(0);
      expect(result.out).toMatch(
        /^written +@fixture\/sample \(\d+ exports\) → packages\/sample\/dist\/index\.d\.ts$/m,
      );
      expect(result.out).toMatch(/^unchanged +@fixture\/sample\/extra/m);
      expect(readFileSync(output, "utf8")).not.toContain("// edited");
    },
    COMPILE_LIMIT_MS,
  );

  it(
    "exits 1 with the error code when --check finds an outdated file",
    async () => {
      stubPackages({ root: workspace });
      writeFileSync(output, "export {};\n");
      const result = await run(["packages", "--check", "--json"]);
      expect(result.exitCode).toBe(1);
      expect(result.err).toContain("error [STUBGEN_OUTDATED]");
      expect(result.err).toContain(output);
    },
    COMPILE_LIMIT_MS,
  );

  it("exits 2 on an unknown option or command", async () => {
    expect((await run(["packages", "--bogus"])).exitCode).toBe(2);
    expect((await run(["nonsense"])).exitCode).toBe(2);
  });

  it(
    "runs from the built package as its committed executable bin and as `node dist/cli.js`",
    async () => {
      const bin = await promisify(execFile)(path.join(packageRoot, "bin/fabricatio-stubgen.js"), [
        "--help",
      ]);
      expect(bin.stdout).toContain("packages");
      // tsc emits dist/ without the executable bit; only the committed bin is executable.
      const script = await promisify(execFile)(process.execPath, [
        path.join(packageRoot, "dist/cli.js"),
        "--help",
      ]);
      expect(script.stdout).toContain("packages");
    },
    COMPILE_LIMIT_MS,
  );
});

describe("a package whose sources do not compile", () => {
  it("is reported as a CompileError naming file, line and column", async () => {
    const { CompileError, generatePackageDeclarations } = await import("../src/index.js");
    const broken = mkdtempSync(path.join(tmpdir(), "stubgen-broken-"));
    try {
      cpSync(path.join(here, "fixtures/sample"), broken, { recursive: true });
      symlinkSync(path.join(packageRoot, "node_modules"), path.join(broken, "node_modules"), "dir");
      writeFileSync(
        path.join(broken, "src/extra.ts"),
        "export function scale(shape: Missing): number {\n  return 1;\n}\n",
      );
      expect(() => generatePackageDeclarations({ packageDir: broken })).toThrow(CompileError);
      expect(() => generatePackageDeclarations({ packageDir: broken })).toThrow(
        /extra\.ts:1:\d+ - Cannot find name 'Missing'/,
      );
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
