import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jsonSchemaValidator, parameterSchemaOf } from "./tool-parameters.js";

describe("parameterSchemaOf", () => {
  it("lists every problem of a JSON Schema check with its path, not the wrappers around it", async () => {
    const schema = parameterSchemaOf({
      type: "object",
      properties: {
        a: { type: "number" },
        nested: { type: "object", properties: { b: { type: "string" } } },
        c: {},
      },
      required: ["a", "c"],
      additionalProperties: false,
    });
    const { problems } = await schema.validate({ a: "x", nested: { b: 1 }, extra: true });
    expect(problems).toEqual([
      'arguments: Instance does not have required property "c".',
      'a: Instance type "string" is invalid. Expected "number".',
      'nested.b: Instance type "number" is invalid. Expected "string".',
      'arguments: Property "extra" does not match additional properties schema.',
    ]);
    expect(await schema.validate({ a: 1, c: null })).toEqual({
      problems: [],
      value: { a: 1, c: null },
    });
  });

  it("reads the draft from $schema and leaves $schema off the wire", async () => {
    const draft7 = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { n: { type: "integer", exclusiveMinimum: 0 } },
    };
    const schema = parameterSchemaOf(draft7);
    expect(schema.jsonSchema).not.toHaveProperty("$schema");
    expect((await schema.validate({ n: 0 })).problems).toHaveLength(1);
    expect((await schema.validate({ n: 1 })).problems).toEqual([]);
  });

  it("validates a zod schema with zod and runs the tool with its output", async () => {
    const schema = parameterSchemaOf(
      z.object({ n: z.coerce.number(), tag: z.string().default("x") }),
    );
    expect(schema.jsonSchema).toMatchObject({
      type: "object",
      properties: { n: { type: "number" } },
    });
    expect(schema.jsonSchema).not.toHaveProperty("$schema");
    expect(await schema.validate({ n: "4" })).toEqual({ problems: [], value: { n: 4, tag: "x" } });
    expect((await schema.validate({ tag: 3 })).problems).toEqual([
      "n: Invalid input: expected number, received NaN",
      "tag: Invalid input: expected string, received number",
    ]);
  });

  it("takes no parameters as an empty object schema", async () => {
    const schema = parameterSchemaOf(undefined);
    expect(schema.jsonSchema).toEqual({ type: "object", properties: {} });
    expect((await schema.validate([])).problems).toEqual([
      'arguments: Instance type "array" is invalid. Expected "object".',
    ]);
  });
});

describe("jsonSchemaValidator", () => {
  it("accepts a matching value", () => {
    expect(jsonSchemaValidator({ type: "string", minLength: 2 })("ab")).toEqual([]);
    expect(jsonSchemaValidator({ type: "string", minLength: 2 })("a")).toHaveLength(1);
  });
});
