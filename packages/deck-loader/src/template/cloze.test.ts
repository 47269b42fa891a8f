// Expectations from Anki's rslib/src/cloze.rs and template_filters.rs tests.
import { describe, expect, it } from "vitest";
import { stripHtmlTags } from "../text/strip-html.js";
import { clozeCardOrdinals, clozeFilter, clozeNumbers, clozeOnlyFilter } from "./cloze.js";

describe("cloze numbers", () => {
  it("finds the numbers Anki finds", () => {
    expect(clozeNumbers("test")).toEqual(new Set());
    expect(clozeNumbers("{{c2::te}}{{c1::s}}t{{")).toEqual(new Set([1, 2]));
    expect(clozeNumbers("{{c1::outer {{c2::inner}}}}")).toEqual(new Set([1, 2]));
    expect(clozeNumbers("{{c2,3::shared}}")).toEqual(new Set([2, 3]));
    expect(clozeNumbers("{{c0::zero}} {{c::none}} {{c1::unclosed")).toEqual(new Set());
  });

  it("gives card ordinals across fields, capped at 499", () => {
    expect(clozeCardOrdinals(["{{c3::a}}", "{{c1::b}} {{c600::c}}"])).toEqual([0, 2, 499]);
  });
});

describe("the cloze filter", () => {
  const text = "{{c1::one}} {{c2::two::hint}}";

  it("hides the active deletion on the question, with Anki's markup", () => {
    expect(clozeFilter(text, 0, true)).toBe(
      '<span class="cloze" data-cloze="one" data-ordinal="1">[...]</span> <span class="cloze-inactive" data-ordinal="2">two</span>',
    );
    expect(stripHtmlTags(clozeFilter(text, 0, true))).toBe("[...] two");
    expect(stripHtmlTags(clozeFilter(text, 1, true))).toBe("one [hint]");
  });

  it("reveals on the answer, and is empty for a number not in the text", () => {
    expect(stripHtmlTags(clozeFilter(text, 1, false))).toBe("one two");
    expect(clozeFilter(text, 2, true)).toBe("");
  });

  it("lists only the active deletions with cloze-only", () => {
    expect(clozeOnlyFilter(text, 1, false)).toBe("two");
    expect(clozeOnlyFilter(text, 1, true)).toBe("hint");
  });
});
