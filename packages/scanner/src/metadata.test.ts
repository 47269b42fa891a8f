import { describe, expect, it } from "vitest";
import { parseCoreMetadata, requiresTxtToRequiresDist } from "./metadata.js";

describe("parseCoreMetadata", () => {
  it("reads name, version, requirements with line numbers and extras from the headers only", () => {
    const text = [
      "Metadata-Version: 2.1",
      "Name: Demo.Pkg",
      "Version: 1.2.3",
      "Requires-Dist: requests>=2",
      "Requires-Dist: numpy; extra ==",
      '  "gpu"',
      "Provides-Extra: gpu",
      "",
      "Requires-Dist: not-a-header-in-the-body",
    ].join("\r\n");
    expect(parseCoreMetadata(text)).toEqual({
      name: "Demo.Pkg",
      version: "1.2.3",
      requiresDist: [
        { text: "requests>=2", line: 4 },
        { text: 'numpy; extra == "gpu"', line: 5 },
      ],
      providesExtra: ["gpu"],
    });
  });

  it("keeps the first Name and Version and leaves missing ones out", () => {
    expect(parseCoreMetadata("Name: a\nName: b\n")).toEqual({
      name: "a",
      requiresDist: [],
      providesExtra: [],
    });
  });
});

describe("requiresTxtToRequiresDist", () => {
  it("turns sections into extra and marker conditions", () => {
    const text =
      "base>=1\n\n[docs]\nsphinx\n[test:python_version < '3.9']\nmock\n[:sys_platform == 'win32']\npywin32\n";
    expect(requiresTxtToRequiresDist(text)).toEqual([
      { text: "base>=1", line: 1 },
      { text: 'sphinx; extra == "docs"', line: 4 },
      { text: `mock; (python_version < '3.9') and extra == "test"`, line: 6 },
      { text: "pywin32; (sys_platform == 'win32')", line: 8 },
    ]);
  });
});
