import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureFreshBuild } from "./ensure-fresh-build.js";

let packageDir: string;
const built = () => path.join(packageDir, "dist/index.js");
// A build that copies the source, so a test can see which source it built.
const command = [
  process.execPath,
  "-e",
  "const fs = require('node:fs'); fs.mkdirSync('dist', { recursive: true }); fs.writeFileSync('dist/index.js', fs.readFileSync('src/index.ts'))",
] as const;
const lines: string[] = [];
const build = () =>
  ensureFreshBuild({ packageDir, command: [...command], log: (line) => lines.push(line) });

function touch(file: string, mtimeS: number): void {
  utimesSync(path.join(packageDir, file), mtimeS, mtimeS);
}

beforeEach(() => {
  packageDir = mkdtempSync(path.join(tmpdir(), "test-services-build-"));
  mkdirSync(path.join(packageDir, "src"));
  writeFileSync(path.join(packageDir, "src/index.ts"), "first");
  writeFileSync(path.join(packageDir, "src/index.test.ts"), "a test");
  lines.length = 0;
});
afterEach(() => rmSync(packageDir, { recursive: true, force: true }));

describe("ensureFreshBuild", () => {
  it("builds when there is no output yet, and says so", async () => {
    expect(await build()).toBe(true);
    expect(readFileSync(built(), "utf8")).toBe("first");
    expect(lines).toEqual([
      `test-services: ${path.join(packageDir, "dist")} is missing; building first (${command.join(" ")})`,
    ]);
  });

  it("rebuilds after a source edit and leaves a fresh output alone", async () => {
    await build();
    touch("dist/index.js", 1_000);
    touch("src/index.ts", 1_000);
    expect(await build()).toBe(false);
    writeFileSync(path.join(packageDir, "src/index.ts"), "second");
    touch("src/index.ts", 2_000);
    expect(await build()).toBe(true);
    expect(readFileSync(built(), "utf8")).toBe("second");
  });

  it("ignores an edited test file, which the build does not read", async () => {
    await build();
    touch("dist/index.js", 1_000);
    touch("src/index.ts", 1_000);
    touch("src/index.test.ts", 2_000);
    expect(await build()).toBe(false);
  });

  it("fails naming the package and the command's output when the build fails", async () => {
    await expect(
      ensureFreshBuild({
        packageDir,
        command: [process.execPath, "-e", "console.error('TS2304: nope'); process.exit(2)"],
        log: () => undefined,
      }),
    ).rejects.toThrow(new RegExp(`in ${packageDir} exited with 2:\\nTS2304: nope`));
  });
});
