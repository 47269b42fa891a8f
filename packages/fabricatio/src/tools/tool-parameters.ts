import { type Schema, type SchemaDraft, Validator } from "@cfworker/json-schema";
import type { JsonSchema } from "@fabricatio/thryd";
import { wireSchema } from "../llm/structured-output.js";
import type { StandardIssue, StandardJsonSchema } from "./types.js";

/** A tool's arguments schema: what the model is shown and how its arguments are checked. */
export interface ParameterSchema {
  /** The JSON Schema sent as the tool's `parameters`. */
  readonly jsonSchema: JsonSchema;
  /** Problems of `value` (empty: valid) and the value to run with (a schema's parsed output). */
  validate(value: unknown): Promise<{ problems: string[]; value: unknown }>;
}

const EMPTY_OBJECT_SCHEMA: JsonSchema = { type: "object", properties: {} };

// Entries that only say "a child failed": the child's own entry says how.
const WRAPPER_KEYWORDS = new Set(["properties", "items", "prefixItems", "$ref", "false"]);

function draftOf(schema: JsonSchema): SchemaDraft {
  const declared = typeof schema.$schema === "string" ? schema.$schema : "";
  if (declared.includes("draft-04")) return "4";
  if (declared.includes("draft-07") || declared.includes("draft-06")) return "7";
  if (declared.includes("2019-09")) return "2019-09";
  return "2020-12";
}

function where(instanceLocation: string): string {
  const path = instanceLocation.replace(/^#\/?/, "").replaceAll("/", ".");
  return path === "" ? "arguments" : path;
}

/**
 * A validator of JSON Schema `schema` (drafts 4, 7, 2019-09 and 2020-12, as its `$schema` says;
 * 2020-12 when it says none): every problem as `<path>: <what is wrong>`.
 */
export function jsonSchemaValidator(schema: JsonSchema): (value: unknown) => string[] {
  const validator = new Validator(schema as Schema, draftOf(schema), false);
  return (value) => {
    const { valid, errors } = validator.validate(value);
    if (valid) return [];
    const leaves = errors.filter((error) => !WRAPPER_KEYWORDS.has(error.keyword));
    return (leaves.length > 0 ? leaves : errors).map(
      (error) => `${where(error.instanceLocation)}: ${error.error}`,
    );
  };
}

function issueText(issue: StandardIssue): string {
  const path = (issue.path ?? [])
    .map((segment) => String(typeof segment === "object" ? segment.key : segment))
    .join(".");
  return `${path === "" ? "arguments" : path}: ${issue.message}`;
}

function isStandardJsonSchema(value: unknown): value is StandardJsonSchema {
  return typeof value === "object" && value !== null && "~standard" in value;
}

/**
 * The schema of a tool's `parameters`: a JSON Schema object (checked with @cfworker/json-schema)
 * or a Standard JSON Schema such as zod (checked with its own `validate`, whose output is the
 * value the tool runs with). No parameters: an empty object schema.
 */
export function parameterSchemaOf(
  parameters: JsonSchema | StandardJsonSchema | undefined,
): ParameterSchema {
  if (isStandardJsonSchema(parameters)) {
    const standard = parameters["~standard"];
    return {
      jsonSchema: wireSchema(standard.jsonSchema.input({ target: "draft-2020-12" })),
      async validate(value) {
        const result = await standard.validate(value);
        if (result.issues) return { problems: result.issues.map(issueText), value };
        return { problems: [], value: result.value };
      },
    };
  }
  const schema = parameters ?? EMPTY_OBJECT_SCHEMA;
  const check = jsonSchemaValidator(schema);
  return {
    jsonSchema: wireSchema(schema),
    validate: async (value) => ({ problems: check(value), value }),
  };
}
