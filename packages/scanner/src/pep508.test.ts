import { describe, expect, it } from "vitest";
import cases from "../test/fixtures/packaging-cases.json" with { type: "json" };
import { RequirementSyntaxError } from "./errors.js";
import { normalizeName } from "./pep503.js";
import { evaluateMarker, parseMarker, parseRequirement } from "./pep508.js";
import type { MarkerEnvironment } from "./types.js";

const environment: MarkerEnvironment = cases.environment;

describe("parseRequirement", () => {
  it.each(cases.requirements)("parses $input as packaging does", (expected) => {
    const requirement = parseRequirement(expected.input);
    expect(requirement.name).toBe(expected.name);
    expect(requirement.normalizedName).toBe(normalizeName(expected.name));
    expect([...requirement.extras].sort()).toEqual(expected.extras.map(normalizeName).sort());
    expect(
      requirement.specifiers
        .map((clause) => `${clause.operator}${clause.version}${clause.wildcard ? ".*" : ""}`)
        .sort(),
    ).toEqual(expected.specifier);
    expect(requirement.url).toBe(expected.url ?? undefined);
    expect(requirement.marker).toEqual(
      expected.marker === null ? undefined : parseMarker(expected.marker),
    );
  });

  it.each(cases.invalidRequirements)("rejects %j as packaging does", (text) => {
    expect(() => parseRequirement(text)).toThrow(RequirementSyntaxError);
  });

  it("points at the column of the problem", () => {
    expect(() => parseRequirement("pkg ; nope == '1'")).toThrow(
      /at column 7: unknown marker variable "nope"/,
    );
  });
});

describe("evaluateMarker", () => {
  it.each(cases.markers)(
    "agrees with packaging: $marker with extra '$extra' is $result",
    (entry) => {
      expect(evaluateMarker(parseMarker(entry.marker), environment, entry.extra)).toBe(
        entry.result,
      );
    },
  );

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
