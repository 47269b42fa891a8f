import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  InterpreterNotFoundError,
  InterpreterOutputError,
  PythonPackageScanner,
  queryInterpreter,
} from "../src/index.js";

// Asked once per run by global-setup.ts; the environment is packaging's default_environment().
const python = inject("python");
let scripts: string;

async function fakeInterpreter(name: string, body: string): Promise<string> {
  const path = join(scripts, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

beforeAll(async () => {
  scripts = await mkdtemp(join(tmpdir(), "scanner-python-"));
});
afterAll(() => rm(scripts, { recursive: true, force: true }));

describe("queryInterpreter", () => {
  it("gives the real interpreter's purelib and the marker environment packaging computes", async () => {
    const info = await queryInterpreter({ python: python.executable });
    expect(info).toEqual({
      python: python.executable,
      purelib: python.purelib,
      environment: python.environment,
    });
  });

  it("finds python3 on PATH by default, then python", async () => {
    const info = await queryInterpreter();
    expect(info.python).toBe(python.command);
    expect(info.purelib).toBe(python.purelib);
  });

  it("names every candidate it tried when none can be started", async () => {
    const error = await queryInterpreter({ env: { PATH: scripts } }).catch((caught) => caught);
    expect(error).toBeInstanceOf(InterpreterNotFoundError);
    expect(error.tried).toEqual(["python3", "python"]);
    expect(error.message).toContain("python3, python");
    expect(error.code).toBe("SCANNER_INTERPRETER_NOT_FOUND");
  });

  it("rejects an interpreter that prints something other than the expected JSON", async () => {
    const python = await fakeInterpreter("not-json", "echo hello");
    await expect(queryInterpreter({ python })).rejects.toThrow(InterpreterOutputError);
    const partial = await fakeInterpreter("partial", `echo '{"purelib": "/x", "environment": {}}'`);
    await expect(queryInterpreter({ python: partial })).rejects.toThrow(
      /lacks "implementation_name"/,
    );
  });

  it("rejects an interpreter that exits with an error, quoting its last stderr line", async () => {
    const python = await fakeInterpreter("fails", "echo 'Traceback' >&2; echo 'boom' >&2; exit 3");
    await expect(queryInterpreter({ python })).rejects.toThrow(/exited with 3: boom/);
  });
});

describe("PythonPackageScanner without a path", () => {
  it("scans the interpreter's purelib and evaluates markers in its environment", async () => {
    const scanner = await new PythonPackageScanner({ python: python.executable }).refresh();
    expect(scanner.sitePackages).toBe(python.purelib);
    expect(scanner.environment).toEqual(python.environment);
  });

  it("fails with the interpreter named when the given one is missing", async () => {
    const missing = join(scripts, "no-such-python");
    await expect(new PythonPackageScanner({ python: missing }).refresh()).rejects.toThrow(missing);
  });
});
