import { describe, expect, it } from "vitest";
import cases from "../test/fixtures/packaging-cases.json" with { type: "json" };
import { RequirementSyntaxError } from "./errors.js";
import { parseSpecifierSet, specifierSetContains } from "./pep440.js";

describe("specifierSetContains", () => {
  it.each(cases.specifiers)(
    "agrees with packaging: $version in '$specifier' is $contains",
    ({ version, specifier, contains }) => {
      expect(specifierSetContains(parseSpecifierSet(specifier), version)).toBe(contains);
    },
  );

  it("accepts every version for an empty set", () => {
    expect(specifierSetContains([], "0.0.1.dev0")).toBe(true);
  });
});

describe("parseSpecifierSet", () => {
  it.each(cases.invalidSpecifiers)("rejects %j as packaging does", (text) => {
    expect(() => parseSpecifierSet(text)).toThrow(RequirementSyntaxError);
  });

  it("keeps operator, version and wildcard of each clause", () => {
    expect(parseSpecifierSet(" >= 1.0 , ==2.*,===odd")).toEqual([
      { operator: ">=", version: "1.0", wildcard: false },
      { operator: "==", version: "2", wildcard: true },
      { operator: "===", version: "odd", wildcard: false },
    ]);
  });

  it("names the clause and its column in the error", () => {
    const error = (() => {
      try {
        parseSpecifierSet(">=1.0,~=1");
      } catch (caught) {
        return caught as RequirementSyntaxError;
      }
    })();
    expect(error?.code).toBe("SCANNER_INVALID_REQUIREMENT");
    expect(error?.position).toBe(6);
    expect(error?.message).toContain('"~=1"');
  });
});
