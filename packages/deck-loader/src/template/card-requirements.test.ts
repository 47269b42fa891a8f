// The expectations are Anki's own test vectors (rslib/src/template.rs, tests `nonempty` and
// `requirements`), so the oracle is Anki, not this package.
import { describe, expect, it } from "vitest";
import { cardRequirement, rendersWithFields } from "./card-requirements.js";
import { parseTemplate } from "./parse-template.js";

const FIELDS = ["a", "b", "c"];

function requirement(template: string) {
  return cardRequirement(0, parseTemplate(template), FIELDS);
}

describe("rendersWithFields, Anki's card generation rule", () => {
  const filled = new Set(["1", "3"]);
  it.each([
    ["{{2}}{{1}}", true],
    ["{{2}}", false],
    ["{{2}}{{4}}", false],
    ["{{#3}}{{^2}}{{1}}{{/2}}{{/3}}", true],
    ["{{^1}}{{3}}{{/1}}", false],
  ])("decides %s renders: %s", (template, expected) => {
    expect(rendersWithFields(parseTemplate(template), filled)).toBe(expected);
  });

  it("counts a negated section's content for req but not for cards", () => {
    expect(cardRequirement(0, parseTemplate("{{^1}}{{3}}{{/1}}"), ["1", "3"])).toEqual([
      0,
      "any",
      [1],
    ]);
  });
});

describe("cardRequirement, Anki's req", () => {
  it.each([
    ["{{a}}{{b}}", [0, "any", [0, 1]]],
    ["{{#a}}{{b}}{{/a}}", [0, "all", [0, 1]]],
    ["{{z}}", [0, "none", []]],
    ["{{^a}}{{b}}{{/a}}", [0, "any", [1]]],
    ["{{^a}}{{#b}}{{c}}{{/b}}{{/a}}", [0, "all", [1, 2]]],
    ["{{#a}}{{#b}}{{a}}{{/b}}{{/a}}", [0, "all", [0, 1]]],
    ["\n{{^a}}\n    {{b}}\n{{/a}}\n\n{{#a}}\n    {{a}}\n    {{b}}\n{{/a}}\n", [0, "any", [0, 1]]],
    [
      "\n<!--{{^a}}-->\n    {{b}}\n<!--{{/a}}-->\n{{#c}}\n    <!--{{a}}-->\n    {{b}}\n    <!--{{c}}-->\n{{/c}}\n",
      [0, "any", [1]],
    ],
  ])("gives %j the requirement %j", (template, expected) => {
    expect(requirement(template)).toEqual(expected);
  });
});
