// Expectations from Anki's rslib/src/template.rs (`render_single`) and template_filters.rs tests.
import { describe, expect, it } from "vitest";
import { TemplateError } from "../errors/template-error.js";
import { renderTemplate } from "./render-template.js";

const FIELDS = { F: "f", B: "b", E: " " };

describe("renderTemplate", () => {
  it.each([
    ["{{B}}A{{F}}", "bAf"],
    ["{{#E}}A{{/E}}", ""],
    ["{{^E}}1{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}{{/E}}", "12f"],
    [
      "{{^E}}1<!--{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}-->\u0123<!-- this is a comment -->{{/E}}\u0456",
      "1<!--{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}-->\u0123<!-- this is a comment -->\u0456",
    ],
    ["{{^c2}}1{{#c1}}2{{/c1}}{{/c2}}", "12"],
    ["{{text:B}}", "b"],
    ["{{one::text:B}}", "b"],
  ])("renders %j as %j", (template, expected) => {
    expect(renderTemplate(template, FIELDS)).toBe(expected);
  });

  it("refuses a field the note type lacks, with or without filters", () => {
    expect(() => renderTemplate("{{X}}", FIELDS)).toThrow(TemplateError);
    expect(() => renderTemplate("{{foo:text:X}}", FIELDS)).toThrow(
      "{{foo:text:X}} refers to a field",
    );
    expect(() => renderTemplate("{{#E}}}{{^M}}A{{/M}}{{/E}}}", FIELDS)).toThrow("{{#M}}");
  });

  it("turns type: filters into Anki's typing markers", () => {
    expect(renderTemplate("{{type:Front}}", { Front: "x" })).toBe("[[type:Front]]");
    expect(renderTemplate("{{type:cloze:Text}}", { Text: "x" })).toBe("[[type:cloze:Text]]");
    expect(renderTemplate("{{type:nc:Text}}", { Text: "x" })).toBe("[[type:nc:Text]]");
    expect(renderTemplate("{{type:unknown:some:Text}}", { Text: "x" })).toBe("[[type:Text]]");
  });

  it("renders hint: as Anki's reveal link, and nothing for an empty field", () => {
    const html = renderTemplate("{{hint:field}}", { field: "foo" });
    expect(html).toMatch(
      /^\n<a class=hint href="#"\nonclick="this.style.display='none';\ndocument.getElementById\('hint([0-9a-f]{16})'\).style.display='block';\nreturn false;" draggable=false>\nfield<\/a>\n<div id="hint\1" class=hint style="display: none">foo<\/div>\n$/,
    );
    expect(renderTemplate("{{hint:field}}", { field: " " })).toBe(" ");
  });

  it("applies Anki's ruby filters", () => {
    const text = "test first[second] third[fourth]";
    expect(renderTemplate("{{kana:T}}", { T: text })).toBe("testsecondfourth");
    expect(renderTemplate("{{kanji:T}}", { T: text })).toBe("testfirstthird");
    expect(renderTemplate("{{furigana:T}}", { T: "first[second]" })).toBe(
      "<ruby><rb>first</rb><rt>second</rt></ruby>",
    );
  });

  it("renders cloze cards per ordinal and side, with FrontSide on the answer", () => {
    const fields = { Text: "{{c1::Paris}} is in {{c2::France}}" };
    const question = renderTemplate("{{cloze:Text}}", fields, { cardOrdinal: 1 });
    expect(question).toContain('data-ordinal="2">[...]</span>');
    const answer = renderTemplate("{{FrontSide}}|{{cloze:Text}}", fields, {
      cardOrdinal: 1,
      side: "answer",
      frontSide: "Q",
    });
    expect(answer).toBe(
      'Q|<span class="cloze-inactive" data-ordinal="1">Paris</span> is in <span class="cloze" data-ordinal="2">France</span>',
    );
    expect(renderTemplate("{{tts en_US voices=Bob:T}}", { T: "foo" })).toBe(
      "[anki:tts lang=en_US voices=Bob]foo[/anki:tts]",
    );
  });
});
