// The test vectors of the original's crates/signify/src/lib.rs, unchanged.
import { describe, expect, it } from "vitest";
import { schemaToDocstringArgs, schemaToSignature } from "../src/index.js";

const wrap = (properties: Record<string, unknown>, required: string[]) => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  additionalProperties: false,
  properties,
  required,
  type: "object",
});

interface Vector {
  name: string;
  schema: unknown;
  signature: string | null;
  docstring: string | null;
}

const vectors: Vector[] = [
  {
    name: "blank schema",
    schema: {
      $schema: "http://json-schema.org/draft-07/schema#",
      additionalProperties: false,
      properties: {},
      type: "object",
    },
    signature: "()",
    docstring: null,
  },
  { name: "empty schema", schema: wrap({}, []), signature: "()", docstring: null },
  {
    name: "width/height",
    schema: wrap(
      {
        height: { description: "Height of the browser window", type: "number" },
        width: { description: "Width of the browser window", type: "number" },
      },
      ["width", "height"],
    ),
    signature: "(*, width: float, height: float)",
    docstring:
      "Args:\n    width: float: Width of the browser window (required)\n    height: float: Height of the browser window (required)",
  },
  {
    name: "accept/promptText",
    schema: wrap(
      {
        accept: { description: "Whether to accept the dialog.", type: "boolean" },
        promptText: {
          description: "The text of the prompt in case of a prompt dialog.",
          type: "string",
        },
      },
      ["accept"],
    ),
    signature: "(*, accept: bool, prompt_text: Optional[str] = None)",
    docstring:
      "Args:\n    accept: bool: Whether to accept the dialog. (required)\n    prompt_text: Optional[str]: The text of the prompt in case of a prompt dialog.",
  },
  {
    name: "click with enum",
    schema: wrap(
      {
        button: {
          description: "Button to click, defaults to left",
          enum: ["left", "right", "middle"],
          type: "string",
        },
        doubleClick: {
          description: "Whether to perform a double click instead of a single click",
          type: "boolean",
        },
        element: {
          description:
            "Human-readable element description used to obtain permission to interact with the element",
          type: "string",
        },
        ref: {
          description: "Exact target element reference from the page snapshot",
          type: "string",
        },
      },
      ["element", "ref"],
    ),
    signature:
      "(*, element: str, ref: str, button: Optional[str] = None, double_click: Optional[bool] = None)",
    docstring: [
      "Args:",
      "    element: str: Human-readable element description used to obtain permission to interact with the element (required)",
      "    ref: str: Exact target element reference from the page snapshot (required)",
      "    button: Optional[str]: Button to click, defaults to left (allowed values: left, right, middle)",
      "    double_click: Optional[bool]: Whether to perform a double click instead of a single click",
    ].join("\n"),
  },
  {
    name: "screenshot",
    schema: wrap(
      {
        element: {
          description:
            "Human-readable element description used to obtain permission to screenshot the element. If not provided, the screenshot will be taken of viewport. If element is provided, ref must be provided too.",
          type: "string",
        },
        filename: {
          description:
            "File name to save the screenshot to. Defaults to `page-{timestamp}.{png|jpeg}` if not specified.",
          type: "string",
        },
        fullPage: {
          description:
            "When true, takes a screenshot of the full scrollable page, instead of the currently visible viewport. Cannot be used with element screenshots.",
          type: "boolean",
        },
        raw: {
          description:
            "Whether to return without compression (in PNG format). Default is false, which returns a JPEG image.",
          type: "boolean",
        },
        ref: {
          description:
            "Exact target element reference from the page snapshot. If not provided, the screenshot will be taken of viewport. If ref is provided, element must be provided too.",
          type: "string",
        },
      },
      [],
    ),
    signature:
      "(*, element: Optional[str] = None, filename: Optional[str] = None, full_page: Optional[bool] = None, raw: Optional[bool] = None, ref: Optional[str] = None)",
    docstring: [
      "Args:",
      "    element: Optional[str]: Human-readable element description used to obtain permission to screenshot the element. If not provided, the screenshot will be taken of viewport. If element is provided, ref must be provided too.",
      "    filename: Optional[str]: File name to save the screenshot to. Defaults to `page-{timestamp}.{png|jpeg}` if not specified.",
      "    full_page: Optional[bool]: When true, takes a screenshot of the full scrollable page, instead of the currently visible viewport. Cannot be used with element screenshots.",
      "    raw: Optional[bool]: Whether to return without compression (in PNG format). Default is false, which returns a JPEG image.",
      "    ref: Optional[str]: Exact target element reference from the page snapshot. If not provided, the screenshot will be taken of viewport. If ref is provided, element must be provided too.",
    ].join("\n"),
  },
  {
    name: "file upload",
    schema: wrap(
      {
        paths: {
          description:
            "The absolute paths to the files to upload. Can be a single file or multiple files.",
          items: { type: "string" },
          type: "array",
        },
      },
      ["paths"],
    ),
    signature: "(*, paths: list[str])",
    docstring:
      "Args:\n    paths: list[str]: The absolute paths to the files to upload. Can be a single file or multiple files. (required)",
  },
  {
    name: "select dropdown",
    schema: wrap(
      {
        element: {
          description:
            "Human-readable element description used to obtain permission to interact with the element",
          type: "string",
        },
        ref: {
          description: "Exact target element reference from the page snapshot",
          type: "string",
        },
        values: {
          description:
            "Array of values to select in the dropdown. This can be a single value or multiple values.",
          items: { type: "string" },
          type: "array",
        },
      },
      ["element", "ref", "values"],
    ),
    signature: "(*, element: str, ref: str, values: list[str])",
    docstring: [
      "Args:",
      "    element: str: Human-readable element description used to obtain permission to interact with the element (required)",
      "    ref: str: Exact target element reference from the page snapshot (required)",
      "    values: list[str]: Array of values to select in the dropdown. This can be a single value or multiple values. (required)",
    ].join("\n"),
  },
];

describe("the original's test vectors", () => {
  it.each(vectors)("$name", ({ schema, signature, docstring }) => {
    expect(schemaToSignature(schema)).toBe(signature);
    expect(schemaToDocstringArgs(schema)).toBe(docstring);
  });

  it("skips a property without a type, and one that is not an object", () => {
    const schema = wrap(
      { param: { description: "A param without type" }, other: "just_a_string" },
      [],
    );
    expect(schemaToSignature(schema)).toBe("()");
    expect(schemaToDocstringArgs(schema)).toBeNull();
  });
});
