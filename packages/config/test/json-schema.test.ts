import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { configJsonSchema, SECTION_NAMES } from "../src/index.js";

describe("configJsonSchema", () => {
  it("describes every section with its keys and rules", () => {
    const schema = configJsonSchema() as {
      properties: Record<string, { properties?: Record<string, Record<string, unknown>> }>;
    };
    expect(Object.keys(schema.properties).sort()).toEqual([...SECTION_NAMES].sort());
    expect(schema.properties.llm?.properties?.temperature).toMatchObject({
      type: "number",
      minimum: 0,
      maximum: 2,
    });
    expect(schema.properties.templates?.properties?.make_choice_template).toMatchObject({
      default: "built-in/make_choice",
    });
  });

  it("is what the package ships as fabricatio.schema.json", () => {
    const shipped = path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      "../fabricatio.schema.json",
    );
    expect(existsSync(shipped)).toBe(true);
    expect(JSON.parse(readFileSync(shipped, "utf8"))).toEqual(configJsonSchema());
  });
});
