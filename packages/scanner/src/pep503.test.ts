import { expect, it } from "vitest";
import { normalizeName } from "./pep503.js";

it("lower-cases and collapses runs of -, _ and . into one -", () => {
  expect(normalizeName("Foo.Bar__baz--Qux")).toBe("foo-bar-baz-qux");
  expect(normalizeName("typing_extensions")).toBe("typing-extensions");
  expect(normalizeName("zope.interface")).toBe("zope-interface");
});
