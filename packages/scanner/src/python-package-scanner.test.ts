import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { LINUX_311, makeSitePackages, writeDistInfo } from "../test/site-packages.js";
import { ScannerNotRefreshedError, ScanRootNotFoundError } from "./errors.js";
import { PythonPackageScanner } from "./python-package-scanner.js";

let sitePackages: string;
const scan = () => new PythonPackageScanner({ sitePackages, environment: LINUX_311 }).refresh();

beforeEach(async () => {
  sitePackages = await makeSitePackages();
  await writeDistInfo(sitePackages, {
    name: "Fabricatio",
    version: "0.5.0",
    extras: ["rag", "qa", "full", "windows", "legacy", "cyclic"],
    requires: [
      "orjson>=3.9",
      'pymilvus>=2.4; extra == "rag"',
      'Typing.Extensions; extra == "rag" and python_version < "3.12"',
      'tomli; python_version < "3.11" and extra == "rag"',
      'questionary<2; extra == "qa"',
      'fabricatio[rag,qa]; extra == "full"',
      'pywin32>=300; sys_platform == "win32" and extra == "windows"',
      'ancient==1.*; extra == "legacy"',
      'fabricatio[cyclic]; extra == "cyclic"',
      'orjson; extra == "cyclic"',
    ],
  });
  await writeDistInfo(sitePackages, { name: "orjson", version: "3.10.1" });
  await writeDistInfo(sitePackages, { name: "pymilvus", version: "2.5.0rc1" });
  await writeDistInfo(sitePackages, { name: "typing_extensions", version: "4.12.2" });
  await writeDistInfo(sitePackages, { name: "questionary", version: "2.0.1" });
  await writeDistInfo(sitePackages, { name: "ancient", version: "1.4.post2" });
});

describe("PythonPackageScanner over a fixture site-packages", () => {
  it("indexes dist-info names and versions and finds them under any PEP 503 spelling", async () => {
    const scanner = await scan();
    expect(scanner.listInstalled().map(({ name, version }) => `${name}==${version}`)).toEqual([
      "ancient==1.4.post2",
      "Fabricatio==0.5.0",
      "orjson==3.10.1",
      "pymilvus==2.5.0rc1",
      "questionary==2.0.1",
      "typing_extensions==4.12.2",
    ]);
    expect(scanner.isInstalled("Typing.Extensions")).toBe(true);
    expect(scanner.isInstalled("TYPING__extensions")).toBe(true);
    expect(scanner.version("typing-extensions")).toBe("4.12.2");
    expect(scanner.isInstalled("numpy")).toBe(false);
    expect(scanner.version("numpy")).toBeUndefined();
  });

  it("reads egg-info directories, their requires.txt sections, and bare egg-info files", async () => {
    const egg = join(sitePackages, "Legacy_Pkg-2.0-py3.11.egg-info");
    await mkdir(egg);
    await writeFile(
      join(egg, "PKG-INFO"),
      "Metadata-Version: 1.1\nName: legacy-pkg\nVersion: 2.0\n",
    );
    await writeFile(
      join(egg, "requires.txt"),
      "orjson\n\n[speed]\norjson>=3\n\n[win:sys_platform == 'win32']\nnope\n",
    );
    await writeFile(
      join(sitePackages, "old_file-0.1.egg-info"),
      "Metadata-Version: 1.0\nName: old-file\nVersion: 0.1\n",
    );
    const scanner = await scan();
    expect(scanner.version("legacy_pkg")).toBe("2.0");
    expect(scanner.version("old.file")).toBe("0.1");
    expect(scanner.extras("legacy-pkg")).toEqual(["speed", "win"]);
    expect(scanner.extraSatisfied("legacy-pkg", "speed")).toBe(true);
    expect(scanner.extraSatisfied("legacy-pkg", "win")).toBe(true);
  });

  it("satisfies an extra whose requirements are installed in accepted versions, pre-releases included", async () => {
    const scanner = await scan();
    expect(scanner.extraSatisfied("fabricatio", "rag")).toBe(true);
    expect(scanner.extraRequirements("fabricatio", "rag")?.map((r) => r.name)).toEqual([
      "pymilvus",
      "Typing.Extensions",
    ]);
  });

  it("fails an extra whose installed requirement violates its version specifier", async () => {
    const scanner = await scan();
    expect(scanner.extraSatisfied("fabricatio", "qa")).toBe(false);
    expect(scanner.extrasSatisfied("fabricatio", ["rag", "qa"])).toBe(false);
  });

  it("skips requirements whose markers exclude this interpreter", async () => {
    const scanner = await scan();
    // pywin32 is only for win32: on Linux nothing is missing.
    expect(scanner.extraSatisfied("fabricatio", "windows")).toBe(true);
    const windows = new PythonPackageScanner({
      sitePackages,
      environment: { ...LINUX_311, sys_platform: "win32" },
    });
    await windows.refresh();
    expect(windows.extraSatisfied("fabricatio", "windows")).toBe(false);
  });

  it("does not count base requirements as part of an extra", async () => {
    const scanner = await scan();
    expect(scanner.extraRequirements("fabricatio", "qa")?.map((r) => r.name)).toEqual([
      "questionary",
    ]);
  });

  it("follows extras requested by a requirement, including the package's own, without looping", async () => {
    const scanner = await scan();
    expect(scanner.extraSatisfied("fabricatio", "full")).toBe(false);
    expect(scanner.extraSatisfied("fabricatio", "cyclic")).toBe(true);
    expect(scanner.extraSatisfied("fabricatio", "legacy")).toBe(true);
  });

  it("answers false for an unknown extra or package, as the original", async () => {
    const scanner = await scan();
    expect(scanner.extraSatisfied("fabricatio", "nope")).toBe(false);
    expect(scanner.extraSatisfied("missing-package", "rag")).toBe(false);
    expect(scanner.extrasSatisfied("fabricatio", [])).toBe(true);
    expect(scanner.extrasSatisfied("fabricatio", "rag")).toBe(true);
    expect(scanner.extraRequirements("fabricatio", "nope")).toBeUndefined();
  });

  it("keeps answers until the next refresh, then sees newly installed packages", async () => {
    const scanner = await scan();
    expect(scanner.extraSatisfied("fabricatio", "qa")).toBe(false);
    await rm(join(sitePackages, "questionary-2.0.1.dist-info"), { recursive: true });
    await writeDistInfo(sitePackages, { name: "questionary", version: "1.10.0" });
    expect(scanner.extraSatisfied("fabricatio", "qa")).toBe(false);
    await scanner.refresh();
    expect(scanner.extraSatisfied("fabricatio", "qa")).toBe(true);
    expect(scanner.extraSatisfied("fabricatio", "full")).toBe(true);
  });

  it("reports corrupt metadata and bad requirement lines without stopping the scan", async () => {
    const noName = join(sitePackages, "broken-1.0.dist-info");
    await mkdir(noName);
    await writeFile(join(noName, "METADATA"), "\u0000\u0001garbage\nVersion: 1.0\n");
    await mkdir(join(sitePackages, "empty-1.0.dist-info"));
    await writeDistInfo(sitePackages, {
      name: "half-good",
      version: "1.0",
      requires: [
        'orjson; extra == "x"',
        'bad req ===; extra == "x"',
        'orjson; extra == "y" and os_name ~= "posix"',
      ],
    });
    const scanner = await scan();
    expect(scanner.isInstalled("half-good")).toBe(true);
    expect(scanner.isInstalled("broken")).toBe(false);
    expect(scanner.problems.map((problem) => problem.code)).toEqual([
      "SCANNER_CORRUPT_METADATA",
      "SCANNER_CORRUPT_METADATA",
    ]);
    expect(scanner.problems[0]?.message).toContain("has no Name header");
    expect(scanner.problems[1]?.message).toMatch(/empty-1\.0\.dist-info.METADATA: cannot be read/);
    expect(scanner.extraSatisfied("half-good", "x")).toBe(true);
    expect(scanner.problems[2]).toMatchObject({ code: "SCANNER_INVALID_REQUIREMENT", line: 5 });
    expect(scanner.problems[3]).toMatchObject({ code: "SCANNER_INVALID_REQUIREMENT", line: 6 });
  });

  it("reports a second copy of one distribution and keeps the first", async () => {
    await writeDistInfo(sitePackages, { name: "ORJSON", version: "3.11.0" });
    const scanner = await scan();
    expect(scanner.version("orjson")).toBe("3.11.0");
    expect(scanner.problems).toMatchObject([{ code: "SCANNER_DUPLICATE_DISTRIBUTION" }]);
  });

  it("refuses queries before the first refresh", () => {
    const scanner = new PythonPackageScanner({ sitePackages, environment: LINUX_311 });
    expect(() => scanner.isInstalled("orjson")).toThrow(ScannerNotRefreshedError);
    expect(scanner.problems).toEqual([]);
  });

  it("throws a typed error naming a missing directory", async () => {
    const missing = join(sitePackages, "nope");
    const scanner = new PythonPackageScanner({ sitePackages: missing, environment: LINUX_311 });
    await expect(scanner.refresh()).rejects.toThrow(ScanRootNotFoundError);
    await expect(scanner.refresh()).rejects.toThrow(missing);
  });
});
