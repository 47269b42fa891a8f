import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TemplateNotFoundError } from "../errors.js";
import { TemplateManager } from "./template-manager.js";

const builtIn = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../templates");
let root: string;
let first: string;
let second: string;

function write(store: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(store, file)), { recursive: true });
  writeFileSync(path.join(store, file), text);
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "fabricatio-templates-"));
  first = path.join(root, "first");
  second = path.join(root, "second");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("TemplateManager lookup", () => {
  it("takes a template from the first store that has it, before a later store and the built-in one", () => {
    write(first, "built-in/liststr.hbs", "first store: {{requirement}}");
    write(second, "built-in/liststr.hbs", "second store: {{requirement}}");
    write(second, "only-second.hbs", "second only");
    const manager = new TemplateManager({ stores: [first, second] });
    expect(manager.render("built-in/liststr", { requirement: "three" })).toBe("first store: three");
    expect(manager.render("only-second", {})).toBe("second only");
  });

  it("falls back to the template shipped with the package under its built-in/ name, as the original", () => {
    const manager = new TemplateManager({ stores: [first] });
    const expected = readFileSync(path.join(builtIn, "built-in/liststr.hbs"), "utf8")
      .replace(
        '{{block requirement "Requirement"}}',
        "--- Start of Requirement ---\nnames\n--- End of Requirement ---\n",
      )
      .replace("{{value_type}}", "string")
      .replace("{{#if k}}\n", "")
      .replace("{{k}}", "2")
      .replace("{{/if}}\n", "");
    const data = { requirement: "names", value_type: "string", k: 2 };
    expect(manager.render("built-in/liststr", data)).toBe(expected);
    expect(() => manager.render("liststr", data)).toThrow(TemplateNotFoundError);
  });

  it("uses template_suffix for the stores, with or without its dot", () => {
    write(first, "greeting.tmpl", "Hello {{name}} & <friends>");
    expect(
      new TemplateManager({ stores: [first], suffix: ".tmpl" }).render("greeting", { name: "Ada" }),
    ).toBe("Hello Ada & <friends>");
    expect(new TemplateManager({ stores: [first], suffix: "tmpl" }).candidates("greeting")[0]).toBe(
      path.join(first, "greeting.tmpl"),
    );
  });

  it("throws TemplateNotFoundError naming the template and every path searched, in order", () => {
    const manager = new TemplateManager({ stores: [first, second], suffix: "tmpl" });
    const error = (() => {
      try {
        manager.render("nowhere", {});
      } catch (caught) {
        return caught;
      }
    })();
    const searched = [
      path.join(first, "nowhere.tmpl"),
      path.join(second, "nowhere.tmpl"),
      path.join(builtIn, "nowhere.hbs"),
    ];
    expect(error).toBeInstanceOf(TemplateNotFoundError);
    expect(error).toMatchObject({
      code: "FABRICATIO_TEMPLATE_NOT_FOUND",
      template: "nowhere",
      searched,
    });
    expect((error as Error).message).toBe(
      `Template "nowhere" not found; searched:\n${searched.map((file) => `  ${file}`).join("\n")}`,
    );
  });
});

describe("TemplateManager loading", () => {
  it("keeps the first compiled template unless active_loading re-reads the file on every render", () => {
    write(first, "live.hbs", "version one");
    const cached = new TemplateManager({ stores: [first] });
    const live = new TemplateManager({ stores: [first], activeLoading: true });
    expect(cached.render("live", {})).toBe("version one");
    expect(live.render("live", {})).toBe("version one");
    write(first, "live.hbs", "version two");
    expect(cached.render("live", {})).toBe("version one");
    expect(live.render("live", {})).toBe("version two");
  });

  it("offers the block, code, json, pluck, concat and gt helpers", () => {
    write(
      first,
      "helpers.hbs",
      '{{block body "Body"}}|{{code source "ts"}}|{{json value}}|{{pluck items "name"}}|{{concat "a" 1 "b"}}|{{#if (gt count 2)}}many{{/if}}',
    );
    expect(
      new TemplateManager({ stores: [first] }).render("helpers", {
        body: "text",
        source: "let x = 1;",
        value: { a: [1, "<b>"] },
        items: [{ name: "x" }, { name: "y" }],
        count: 3,
      }),
    ).toBe(
      '--- Start of Body ---\ntext\n--- End of Body ---\n|```ts\nlet x = 1;\n```|{"a":[1,"<b>"]}|[x, y]|a1b|many',
    );
  });
});
