import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  escapeDocstring,
  MAX_SCHEMA_DEPTH,
  SchemaTooDeepError,
  schemaToDocstringArgs,
  schemaToSignature,
  schemaToTsDoc,
  schemaToTsSignature,
} from "../src/index.js";

/** The docstring Python reads from each program: `ast.get_docstring(clean=False)` of `f`. */
function pythonDocstrings(programs: readonly string[]): (string | null)[] {
  const reader = [
    "import ast, json, sys",
    "out = []",
    "for source in json.load(sys.stdin):",
    "    try: out.append(ast.get_docstring(ast.parse(source).body[0], clean=False))",
    "    except SyntaxError as error: out.append('SyntaxError: ' + str(error))",
    "print(json.dumps(out))",
  ].join("\n");
  return JSON.parse(
    execFileSync("python3", ["-c", reader], { input: JSON.stringify(programs), encoding: "utf8" }),
  );
}

describe("descriptions that try to leave the Python docstring", () => {
  const hostile = [
    'closes """ and runs import os; os.system("x") """',
    'ends in a quote"',
    'ends in two quotes""',
    "a path C:\\xdata\\new and \\N{oops}",
    'quote then backslash \\"""',
  ];

  it("stay inside it, and Python reads back exactly the text meant", () => {
    const schema = {
      type: "object",
      properties: Object.fromEntries(
        hostile.map((description, index) => [`p${index}`, { type: "string", description }]),
      ),
    };
    const docstring = schemaToDocstringArgs(schema)!;
    const meant = `Args:\n${hostile.map((description, index) => `    p${index}: Optional[str]: ${description}`).join("\n")}`;
    // Closing quotes on their own line, and right after the last line.
    const programs = [
      `def f():\n    """${docstring}\n    """\n`,
      `def f():\n    """${docstring}"""\n`,
    ];
    expect(pythonDocstrings(programs)).toEqual([`${meant}\n    `, meant]);
  }, 30_000);

  it("escapes only what Python would misread", () => {
    expect(escapeDocstring('plain text, a "quoted" word')).toBe('plain text, a "quoted" word');
    expect(escapeDocstring('x """ y')).toBe('x \\"\\"\\" y');
    expect(escapeDocstring("C:\\temp")).toBe("C:\\\\temp");
  });
});

describe(`nesting deeper than ${MAX_SCHEMA_DEPTH} levels`, () => {
  function nestedItems(depth: number): Record<string, unknown> {
    let schema: Record<string, unknown> = { type: "string" };
    for (let level = 0; level < depth; level += 1) schema = { type: "array", items: schema };
    return { type: "object", properties: { a: schema } };
  }

  it.each([
    ["items", nestedItems(5_000)],
    [
      "anyOf",
      (() => {
        let schema: Record<string, unknown> = { type: "string" };
        for (let level = 0; level < 5_000; level += 1)
          schema = { anyOf: [schema, { type: "null" }] };
        return { type: "object", properties: { a: schema } };
      })(),
    ],
    [
      "$ref chains",
      (() => {
        const defs: Record<string, unknown> = { d5000: { type: "string" } };
        for (let level = 0; level < 5_000; level += 1)
          defs[`d${level}`] = { type: "array", items: { $ref: `#/$defs/d${level + 1}` } };
        return { type: "object", $defs: defs, properties: { a: { $ref: "#/$defs/d0" } } };
      })(),
    ],
    [
      "a default value",
      (() => {
        let value: unknown = 1;
        for (let level = 0; level < 5_000; level += 1) value = [value];
        return { type: "object", properties: { a: { type: "array", default: value } } };
      })(),
    ],
  ])("in %s is a typed error naming the property, not a stack overflow", (_name, schema) => {
    for (const render of [
      schemaToSignature,
      schemaToDocstringArgs,
      schemaToTsSignature,
      schemaToTsDoc,
    ]) {
      let caught: unknown;
      try {
        render(schema);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SchemaTooDeepError);
      expect((caught as SchemaTooDeepError).code).toBe("SIGNIFY_TOO_DEEP");
      expect((caught as Error).message).toMatch(/^\/properties\/a/);
    }
  });

  it(`still renders ${MAX_SCHEMA_DEPTH - 1} levels`, () => {
    expect(schemaToSignature(nestedItems(MAX_SCHEMA_DEPTH - 2))).toContain("list[list[");
  });
});
