import { describe, expect, it } from "vitest";
import {
  CyclicRefError,
  InvalidRefError,
  isSignifyError,
  NameCollisionError,
  schemaToDocstringArgs,
  schemaToSignature,
  schemaToTsDoc,
  schemaToTsSignature,
} from "../src/index.js";

const object = (
  properties: Record<string, unknown>,
  required: string[] = [],
  extra: Record<string, unknown> = {},
) => ({
  type: "object",
  properties,
  required,
  ...extra,
});

describe("Python signatures beyond the original", () => {
  it("returns null for anything that is not an object schema", () => {
    for (const schema of [
      null,
      "x",
      1,
      [],
      true,
      { properties: [] },
      { required: "a" },
      { required: [1] },
    ]) {
      expect(schemaToSignature(schema)).toBeNull();
      expect(schemaToDocstringArgs(schema)).toBeNull();
    }
  });

  it("maps type arrays with null to Optional", () => {
    const schema = object({ a: { type: ["string", "null"] }, b: { type: ["integer", "string"] } }, [
      "a",
      "b",
    ]);
    expect(schemaToSignature(schema)).toBe("(*, a: Optional[str], b: Union[int, str])");
  });

  it("maps anyOf and oneOf to Union, folding null into Optional", () => {
    const schema = object({
      a: { anyOf: [{ type: "string" }, { type: "integer" }] },
      b: { oneOf: [{ type: "number" }, { type: "null" }] },
    });
    expect(schemaToSignature(schema)).toBe(
      "(*, a: Optional[Union[str, int]] = None, b: Optional[float] = None)",
    );
  });

  it("follows $ref into $defs and definitions", () => {
    const schema = object(
      {
        point: { $ref: "#/$defs/Point" },
        tags: { type: "array", items: { $ref: "#/definitions/Tag" } },
      },
      ["point"],
      { $defs: { Point: { type: "object" } }, definitions: { Tag: { type: "string" } } },
    );
    expect(schemaToSignature(schema)).toBe(
      "(*, point: dict[str, object], tags: Optional[list[str]] = None)",
    );
  });

  it("renders nested arrays fully", () => {
    const schema = object(
      { grid: { type: "array", items: { type: "array", items: { type: "integer" } } } },
      ["grid"],
    );
    expect(schemaToSignature(schema)).toBe("(*, grid: list[list[int]])");
  });

  it("renders enum and const as Literal when asked", () => {
    const schema = object({ mode: { enum: ["a", 1, true, null] }, kind: { const: "x" } }, ["kind"]);
    expect(schemaToSignature(schema, { literals: true })).toBe(
      '(*, kind: Literal["x"], mode: Optional[Literal["a", 1, True]] = None)',
    );
    expect(schemaToSignature(schema)).toBe(
      "(*, kind: str, mode: Optional[Union[str, int, bool]] = None)",
    );
  });

  it("renders defaults", () => {
    const schema = object({
      count: { type: "integer", default: 5 },
      flag: { type: "boolean", default: false },
      name: { type: "string", default: 'a"b' },
    });
    expect(schemaToSignature(schema)).toBe(
      '(*, count: int = 5, flag: bool = False, name: str = "a\\"b")',
    );
    expect(schemaToDocstringArgs(schema)).toBe(
      'Args:\n    count: int (default: 5)\n    flag: bool (default: False)\n    name: str (default: "a\\\\"b")',
    );
  });

  it("makes keywords and non-identifiers safe", () => {
    const schema = object(
      { class: { type: "string" }, "x-y": { type: "string" }, "2fa": { type: "boolean" } },
      ["class"],
    );
    expect(schemaToSignature(schema)).toBe(
      "(*, class_: str, x_y: Optional[str] = None, _2fa: Optional[bool] = None)",
    );
  });

  it("rejects two properties that become one parameter, naming the pointer", () => {
    const schema = object({ fooBar: { type: "string" }, foo_bar: { type: "string" } });
    expect(() => schemaToSignature(schema)).toThrow(NameCollisionError);
    expect(() => schemaToSignature(schema)).toThrow(
      '/properties/foo_bar: becomes parameter "foo_bar", as /properties/fooBar does',
    );
  });

  it("rejects malformed and cyclic refs with a typed error naming the pointer", () => {
    const missing = object({ a: { $ref: "#/$defs/Nope" } });
    expect(() => schemaToSignature(missing)).toThrow(InvalidRefError);
    expect(() => schemaToSignature(missing)).toThrow("/properties/a/$ref");
    const remote = object({ a: { $ref: "https://example.com/schema" } });
    expect(() => schemaToSignature(remote)).toThrow(/only local refs/);
    const cyclic = object({ a: { $ref: "#/$defs/A" } }, [], {
      $defs: { A: { $ref: "#/$defs/B" }, B: { $ref: "#/$defs/A" } },
    });
    let caught: unknown;
    try {
      schemaToSignature(cyclic);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CyclicRefError);
    expect(isSignifyError(caught)).toBe(true);
    expect((caught as CyclicRefError).cycle).toEqual(["#/$defs/A", "#/$defs/B", "#/$defs/A"]);
  });

  it("allows a recursive schema that goes through an object", () => {
    const schema = object({ tree: { $ref: "#/$defs/Node" } }, ["tree"], {
      $defs: {
        Node: {
          type: "object",
          properties: { children: { type: "array", items: { $ref: "#/$defs/Node" } } },
        },
      },
    });
    expect(schemaToSignature(schema)).toBe("(*, tree: dict[str, object])");
  });
});

describe("TypeScript flavour", () => {
  it("renders an args object with optional members", () => {
    const schema = object(
      { a: { type: "number" }, b: { type: "string" }, "x-y": { type: ["boolean", "null"] } },
      ["a"],
    );
    expect(schemaToTsSignature(schema)).toBe(
      '(args: { a: number; b?: string; "x-y"?: boolean | null })',
    );
  });

  it("makes args optional when every member is, and renders () without properties", () => {
    expect(schemaToTsSignature(object({ a: { type: "integer" } }))).toBe("(args?: { a?: number })");
    expect(schemaToTsSignature(object({}))).toBe("()");
    expect(schemaToTsSignature("nope")).toBeNull();
  });

  it("renders arrays of unions and literal unions", () => {
    const schema = object(
      {
        v: { type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] } },
        m: { enum: ["a", "b"] },
      },
      ["v", "m"],
    );
    expect(schemaToTsSignature(schema, { literals: true })).toBe(
      '(args: { v: (string | number)[]; m: "a" | "b" })',
    );
  });

  it("writes a TSDoc block with @param args.<name>", () => {
    const schema = object(
      {
        element: { type: "string", description: "Element to click" },
        button: {
          type: "string",
          enum: ["left", "right"],
          description: "Button */ to use",
          default: "left",
        },
      },
      ["element"],
      { description: "Clicks an element." },
    );
    expect(schemaToTsDoc(schema)).toBe(
      [
        "/**",
        " * Clicks an element.",
        " *",
        " * @param args - The arguments.",
        " * @param args.element - Element to click (required)",
        ' * @param args.button - Button *\\/ to use (allowed values: left, right) (default: "left")',
        " */",
      ].join("\n"),
    );
    expect(schemaToTsDoc(object({}))).toBeNull();
  });
});
