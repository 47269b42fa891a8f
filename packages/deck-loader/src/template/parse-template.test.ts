// Expectations from Anki's rslib/src/template.rs tests (`parsing`, `alt_syntax`).
import { describe, expect, it } from "vitest";
import { parseTemplate, referencedNames, TemplateSyntaxError } from "./parse-template.js";

describe("parseTemplate", () => {
  it("reads text, replacements and sections", () => {
    expect(parseTemplate("foo {{bar}} {{#baz}} quux {{/baz}}")).toEqual([
      { kind: "text", text: "foo " },
      { kind: "replacement", key: "bar", filters: [] },
      { kind: "text", text: " " },
      { kind: "conditional", key: "baz", children: [{ kind: "text", text: " quux " }] },
    ]);
  });

  it("keeps comments whole, sections inside them unparsed", () => {
    expect(parseTemplate("<!--{{#mis}}{{/matched}}-->")).toEqual([
      { kind: "comment", text: "{{#mis}}{{/matched}}" },
    ]);
    expect(() => parseTemplate("<!--{{foo}}")).not.toThrow();
    expect(() => parseTemplate("{{foo}}-->")).not.toThrow();
  });

  it.each(["{{#mis}}{{/matched}}", "{{/matched}}", "{{#mis}}", "{{#mis}}<!--{{/matched}}-->"])(
    "refuses the unbalanced %s",
    (template) => {
      expect(() => parseTemplate(template)).toThrow(TemplateSyntaxError);
    },
  );

  it("trims white space in tags, ignores stray closing braces, splits filters innermost first", () => {
    expect(parseTemplate("{{ tag }}")).toEqual([{ kind: "replacement", key: "tag", filters: [] }]);
    expect(parseTemplate("text }} more")).toEqual([{ kind: "text", text: "text }} more" }]);
    expect(parseTemplate("{{one:two:B}}")).toEqual([
      { kind: "replacement", key: "B", filters: ["two", "one"] },
    ]);
  });

  it("reads the legacy <% %> syntax", () => {
    expect(parseTemplate("\n{{=<% %>=}}\n<%Front%>\n<% #Back %>\n<%/Back%>")).toEqual([
      { kind: "text", text: "\n" },
      { kind: "replacement", key: "Front", filters: [] },
      { kind: "text", text: "\n" },
      { kind: "conditional", key: "Back", children: [{ kind: "text", text: "\n" }] },
    ]);
  });

  it("collects referenced names without cloze sections, and cloze fields alone", () => {
    const nodes = parseTemplate("{{#c1}}{{cloze:Text}}{{/c1}}{{^Extra}}{{hint:Back}}{{/Extra}}");
    expect([...referencedNames(nodes)].sort()).toEqual(["Back", "Extra", "Text"]);
    expect([...referencedNames(nodes, { clozeOnly: true, withConditionals: false })]).toEqual([
      "Text",
    ]);
  });
});
