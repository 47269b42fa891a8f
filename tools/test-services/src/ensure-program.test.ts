import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureProgram, installCommand, type ProgramSpec } from "./ensure-program.js";
import { findOnPath } from "./find-on-path.js";
import { MissingServiceError } from "./missing-service-error.js";

// A program no machine has, so the real /usr/bin never answers for it.
const SPEC: ProgramSpec = {
  program: "fabricatio-test-program",
  aptPackage: "fabricatio-test-package",
  brewFormula: "fabricatio-test-formula",
};
const systemPath = [findOnPath("flock"), findOnPath("sh")]
  .filter((found): found is string => found !== undefined)
  .map((found) => path.dirname(found))
  .join(path.delimiter);

let bin: string;
let calls: string;
let env: Record<string, string>;

function writeScript(name: string, body: string): void {
  const file = path.join(bin, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

/** An apt-get that records its calls and, on install, puts the program into `bin`. */
function fakeAptGet(
  installBody = `printf '#!/bin/sh\\n' > "${path.join("$BIN", SPEC.program)}"; chmod +x "${path.join("$BIN", SPEC.program)}"`,
): void {
  writeScript("apt-get", `echo "$*" >> "$CALLS"\ncase "$*" in *install*) ${installBody} ;; esac`);
}

beforeEach(() => {
  bin = mkdtempSync(path.join(tmpdir(), "test-services-bin-"));
  calls = path.join(bin, "apt-calls.log");
  env = { PATH: `${bin}${path.delimiter}${systemPath}`, BIN: bin, CALLS: calls };
});
afterEach(() => rmSync(bin, { recursive: true, force: true }));

const lines: string[] = [];
const options = () => ({
  env,
  lockFile: path.join(bin, "apt.lock"),
  log: (line: string) => lines.push(line),
});
beforeEach(() => {
  lines.length = 0;
});

describe("ensureProgram", () => {
  it("returns the program found on PATH without running anything", async () => {
    writeScript(SPEC.program, "exit 0");
    fakeAptGet();
    expect(await ensureProgram(SPEC, { ...options(), isRoot: true })).toBe(
      path.join(bin, SPEC.program),
    );
    expect(existsSync(calls)).toBe(false);
    expect(lines).toEqual([]);
  });

  it("installs a missing program as root with apt-get, once for two parallel callers, saying so", async () => {
    fakeAptGet();
    const [first, second] = await Promise.all([
      ensureProgram(SPEC, { ...options(), isRoot: true }),
      ensureProgram(SPEC, { ...options(), isRoot: true }),
    ]);
    expect(first).toBe(path.join(bin, SPEC.program));
    expect(second).toBe(first);
    expect(readFileSync(calls, "utf8").trim().split("\n")).toEqual([
      "-o DPkg::Lock::Timeout=300 update -qq",
      `-o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends ${SPEC.aptPackage}`,
    ]);
    expect(lines.filter((line) => line.includes("installing"))).toEqual([
      `test-services: ${SPEC.program} is not on PATH; installing the apt package ${SPEC.aptPackage} (apt-get update && apt-get install -y ${SPEC.aptPackage}), once for every test run on this machine`,
    ]);
    expect(lines.filter((line) => line.includes("installed"))).toHaveLength(1);
  });

  it("fails at once with the sudo command when not root, installing nothing", async () => {
    fakeAptGet();
    const error = await ensureProgram(SPEC, { ...options(), isRoot: false }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MissingServiceError);
    expect(error).toMatchObject({
      code: "TEST_SERVICES_MISSING",
      program: SPEC.program,
      command: `sudo apt-get update && sudo apt-get install -y ${SPEC.aptPackage}`,
    });
    expect((error as Error).message).toContain("not root");
    expect(existsSync(calls)).toBe(false);
  });

  it("fails at once with the platform's command when apt-get is not available", async () => {
    const error = await ensureProgram(SPEC, {
      ...options(),
      env: { PATH: bin },
      isRoot: true,
      platform: "darwin",
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ command: `brew install ${SPEC.brewFormula}` });
    expect((error as Error).message).toMatch(
      /apt-get is not available\. Install it with:\n {2}brew/,
    );
  });

  it("reports apt-get's last lines and the command when the install fails", async () => {
    fakeAptGet(`echo "E: Unable to locate package ${SPEC.aptPackage}" >&2; exit 100`);
    const error = await ensureProgram(SPEC, { ...options(), isRoot: true }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MissingServiceError);
    expect((error as Error).message).toContain(
      `apt-get exited with 100:\nE: Unable to locate package ${SPEC.aptPackage}`,
    );
    expect((error as MissingServiceError).command).toBe(
      `apt-get update && apt-get install -y ${SPEC.aptPackage}`,
    );
  });

  it("says so when the installed package put nothing on PATH", async () => {
    fakeAptGet("true");
    await expect(ensureProgram(SPEC, { ...options(), isRoot: true })).rejects.toThrow(
      /apt-get installed fabricatio-test-package, but no directory of PATH/,
    );
  });
});

describe("installCommand", () => {
  it("names apt-get with sudo for a user, without for root, and Homebrew on macOS", () => {
    expect(installCommand(SPEC, { platform: "linux", isRoot: false, hasApt: true })).toBe(
      `sudo apt-get update && sudo apt-get install -y ${SPEC.aptPackage}`,
    );
    expect(installCommand(SPEC, { platform: "linux", isRoot: true, hasApt: true })).toBe(
      `apt-get update && apt-get install -y ${SPEC.aptPackage}`,
    );
    expect(installCommand(SPEC, { platform: "darwin", isRoot: false, hasApt: false })).toBe(
      `brew install ${SPEC.brewFormula}`,
    );
  });
});
