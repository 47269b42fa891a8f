import { execFileSync } from "node:child_process";
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  InterpreterNotFoundError,
  InterpreterOutputError,
  PythonPackageScanner,
  queryInterpreter,
} from "../src/index.js";

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

describe("queryInterpreter", () => {
  it("asks the real python3 for its purelib and marker environment", async () => {
    const info = await queryInterpreter({ python: "python3" });
    const expected = JSON.parse(
      execFileSync("python3", [
        "-c",
        "import json, sys, sysconfig; print(json.dumps([sysconfig.get_paths()['purelib'], sys.platform, '%d.%d' % sys.version_info[:2]]))",
      ]).toString(),
    );
    expect([info.purelib, info.environment.sys_platform, info.environment.python_version]).toEqual(
      expected,
    );
    expect(info.python).toBe("python3");
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
    const scanner = await new PythonPackageScanner({ python: "python3" }).refresh();
    const info = await queryInterpreter({ python: "python3" });
    expect(scanner.sitePackages).toBe(info.purelib);
    expect(scanner.environment).toEqual(info.environment);
  });

  it("fails with the interpreter named when the given one is missing", async () => {
    const python = join(scripts, "no-such-python");
    await expect(new PythonPackageScanner({ python }).refresh()).rejects.toThrow(python);
  });
});
