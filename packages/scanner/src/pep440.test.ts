import { describe, expect, it } from "vitest";
import type { RequirementSyntaxError } from "./errors.js";
import { parseSpecifierSet, specifierSetContains } from "./pep440.js";

// Agreement with Python's packaging over the shared corpus: test/packaging-oracle.test.ts.
describe("specifierSetContains", () => {
  it("accepts every version for an empty set", () => {
    expect(specifierSetContains([], "0.0.1.dev0")).toBe(true);
  });
});

describe("parseSpecifierSet", () => {
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
