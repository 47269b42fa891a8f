import { describe, expect, it } from "vitest";
import { LINUX_311 } from "../test/site-packages.js";
import { RequirementSyntaxError } from "./errors.js";
import { evaluateMarker, parseMarker, parseRequirement } from "./pep508.js";

const environment = LINUX_311;

// Agreement with Python's packaging over the shared corpus: test/packaging-oracle.test.ts.
describe("parseRequirement", () => {
  it("points at the column of the problem", () => {
    expect(() => parseRequirement("pkg ; nope == '1'")).toThrow(
      /at column 7: unknown marker variable "nope"/,
    );
  });
});

describe("evaluateMarker", () => {
  it("binds 'and' tighter than 'or'", () => {
    const marker = parseMarker('extra == "a" or extra == "b" and sys_platform == "win32"');
    expect(marker.kind).toBe("or");
    expect(evaluateMarker(marker, environment, "b")).toBe(false);
  });

  it("throws on ~= between values that are not versions", () => {
    expect(() => evaluateMarker(parseMarker('sys_platform ~= "linux"'), environment)).toThrow(
      RequirementSyntaxError,
    );
  });
});
