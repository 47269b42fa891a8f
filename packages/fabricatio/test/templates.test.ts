// The templates under test/helper-templates exercise every helper the original registers (lang,
// ls, join, len, hash, words, date, head, block, code) and handlebars-rust's built-ins (eq, ne,
// and, or, not, lt, gt, lte, gte). Each `<name>.hbs` renders `<name>.json` to exactly
// `<name>.expected.txt`. The expectations are the original's documented behaviour: the
// condition cases are handlebars-rust's own tests (helper_extras.rs), the language samples
// whichlang's tests, the hashes BLAKE3's published vectors, the rest the helpers' definitions in
// the original's hbs_helpers.rs and handlebars-rust's rendering of values and JSON string literals.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TEMPLATE_NAMES } from "@fabricatio/config";
import { afterAll, describe, expect, it } from "vitest";
import {
  BUILT_IN_TEMPLATE_STORE,
  TemplateManager,
  TemplateNotFoundError,
  TemplateRenderError,
} from "../src/index.js";

const helperTemplates = path.join(path.dirname(fileURLToPath(import.meta.url)), "helper-templates");
const cases = readdirSync(helperTemplates)
  .filter((file) => file.endsWith(".hbs"))
  .map((file) => file.slice(0, -".hbs".length));
const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-templates-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function store(name: string, files: Record<string, string>): string {
  const root = path.join(temp, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe("the original's helpers and handlebars-rust's built-ins", () => {
  const manager = new TemplateManager({ stores: [helperTemplates], builtIn: false });

  it("registers every test template", () => {
    expect(cases.length).toBeGreaterThanOrEqual(13);
    expect(manager.templateCount).toBe(cases.length);
  });

  it.each(cases)("renders %s.hbs exactly as the original would", (name) => {
    const data = JSON.parse(readFileSync(path.join(helperTemplates, `${name}.json`), "utf8"));
    const expected = readFileSync(path.join(helperTemplates, `${name}.expected.txt`), "utf8");
    expect(manager.render(name, data)).toBe(expected);
  });

  it("fails with a render error naming the template and helper for a wrong parameter type", () => {
    const render = () => manager.renderString("{{lang 42}}", {});
    expect(render).toThrow(TemplateRenderError);
    expect(render).toThrow(
      /Template "<string>" failed to render: Helper "lang" parameter 1 must be a string, got number/,
    );
    expect(() => manager.renderString("{{date -1}}")).toThrow(
      /Helper "date" parameter 1 must be a whole number of 0 or more/,
    );
    expect(() => manager.renderString("{{join list}}", { list: ["a"] })).toThrow(
      /Helper "join" takes 2 parameter/,
    );
    expect(() => manager.renderString("{{ls items}}", { items: [1] })).toThrow(/array of strings/);
  });

  it("fails on a helper that does not exist, as the original", () => {
    expect(() => manager.renderString("{{nosuch x}}", { x: 1 })).toThrow(/nosuch/);
  });
});

describe("TemplateManager", () => {
  it("has a built-in template for each of the 13 [templates] keys", () => {
    const manager = new TemplateManager();
    for (const name of TEMPLATE_NAMES) expect(manager.has(`built-in/${name}`)).toBe(true);
    expect(manager.templateCount).toBe(TEMPLATE_NAMES.length);
    expect(BUILT_IN_TEMPLATE_STORE).toMatch(/templates$/);
  });

  it("lets the first store win a name, before the built-in templates", () => {
    const first = store("first", {
      "built-in/pathstr.hbs": "first {{requirement}}",
      "own.hbs": "1",
    });
    const second = store("second", { "own.hbs": "2", "nested/deep/x.hbs": "deep" });
    const manager = new TemplateManager({ stores: [first, second] });
    expect(manager.render("built-in/pathstr", { requirement: "r" })).toBe("first r");
    expect(manager.render("own")).toBe("1");
    expect(manager.render("nested/deep/x")).toBe("deep");
    expect(manager.templateCount).toBe(TEMPLATE_NAMES.length + 2);
  });

  it("adds stores, seen after discover() or at once with rediscover", () => {
    const manager = new TemplateManager({ builtIn: false });
    expect(manager.templateCount).toBe(0);
    const later = store("later", { "a.hbs": "A", "b.txt": "not a template" });
    manager.addStore(later);
    expect(manager.has("a")).toBe(false);
    manager.discover();
    expect(manager.render("a")).toBe("A");
    const more = store("more", { "b.hbs": "B" });
    expect(manager.addStore(more, true).render("b")).toBe("B");
    expect(manager.stores).toEqual([later, more]);
  });

  it("renders a batch in order and raw template text, single and batch", () => {
    const manager = new TemplateManager({ stores: [store("batch", { "hi.hbs": "hi {{who}}" })] });
    expect(manager.renderMany("hi", [{ who: "a" }, { who: "b" }])).toEqual(["hi a", "hi b"]);
    expect(manager.renderString("{{len xs}}", { xs: [1, 2] })).toBe("2");
    expect(manager.renderString("{{x}}!", [{ x: 1 }, { x: 2 }])).toEqual(["1!", "2!"]);
  });

  it("uses the template suffix and lets templates include each other as partials", () => {
    const root = store("suffix", { "outer.tpl": "<{{> inner}}>", "inner.tpl": "{{name}}" });
    const manager = new TemplateManager({ stores: [root], suffix: "tpl", builtIn: false });
    expect(manager.render("outer", { name: "n" })).toBe("<n>");
  });

  it("re-reads files on every render with activeLoading", () => {
    const root = store("live", { "t.hbs": "one" });
    const manager = new TemplateManager({ stores: [root], activeLoading: true, builtIn: false });
    expect(manager.render("t")).toBe("one");
    writeFileSync(path.join(root, "t.hbs"), "two");
    expect(manager.render("t")).toBe("two");
  });

  it("names every file searched for a missing template", () => {
    const manager = new TemplateManager({ stores: [path.join(temp, "absent")] });
    const render = () => manager.render("built-in/nothing");
    expect(render).toThrow(TemplateNotFoundError);
    expect(render).toThrow(path.join(temp, "absent", "built-in", "nothing.hbs"));
  });

  it("renders every built-in template with the data its helper gives it", () => {
    const manager = new TemplateManager();
    const rendered = manager.render("built-in/make_choice", {
      instruction: "pick",
      options: [{ name: "a", briefing: "first" }],
      k: 1,
    });
    expect(rendered).toContain("--- Start of Option a ---\nfirst\n--- End of Option a ---");
    expect(rendered).toContain('["a"]');
    expect(
      manager.render("built-in/generic_string", { requirement: "r", language: "String" }),
    ).toContain("--- Start of String ---");
    expect(
      manager.render("built-in/task_briefing", {
        name: "n",
        description: "d",
        dependencies: ["src/a.ts"],
        goals: ["g"],
      }),
    ).toBe("Task: n\nDescription: d\nFiles it depends on:\n- `src/a.ts`\nGoals:\n- g\n");
    const dependencies = manager.render("built-in/dependencies", {
      "a.txt": {
        path: "a.txt",
        exists: true,
        is_text: true,
        size: 3,
        checksum: "c",
        lines: 1,
        content: "abc",
      },
      "b.bin": { path: "b.bin", exists: false },
    });
    expect(dependencies).toContain("--- Start of a.txt ---\nabc\n--- End of a.txt ---");
    expect(dependencies).toContain("not shown, the file does not exist");
    expect(
      manager.render("built-in/co_validation", { original_q: "Q", original_a: "A" }),
    ).toContain("--- Start of Response That Violated Instructions ---\nA\n");
    expect(
      manager.render("built-in/code_snippet", { requirement: "r", code_language: "rust" }),
    ).toContain(">>>>>language");
    expect(
      manager.render("built-in/make_enum_choice", {
        instruction: "i",
        options: ["A", "B"],
        enum_doc: null,
        k: 0,
      }),
    ).toContain("- A\n- B\n");
  });
});
