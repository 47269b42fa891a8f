import type { JsonSchema } from "@fabricatio/thryd";
import type { JsonSchemaLike } from "./types.js";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The JSON Schema of an `askJson` schema: its own `jsonSchema()`, else its Standard JSON Schema,
 * the output form first (objects closed, defaulted fields required, which strict mode needs),
 * the input form when the output has no JSON Schema form (a transform). `undefined` when the
 * schema gives none.
 */
export function jsonSchemaOf(schema: JsonSchemaLike<unknown>): JsonSchema | undefined {
  const own = schema.jsonSchema?.();
  if (own !== undefined) return isObject(own) ? own : undefined;
  const converter = schema["~standard"]?.jsonSchema;
  if (!converter) return undefined;
  for (const form of [converter.output, converter.input]) {
    try {
      return form({ target: "draft-2020-12" });
    } catch {
      // This form has no JSON Schema (zod throws for transforms on the output side).
    }
  }
  return undefined;
}

/** The schema as the wire carries it: without the top-level `$schema`, which APIs reject or ignore. */
export function wireSchema(schema: JsonSchema): JsonSchema {
  if (!("$schema" in schema)) return schema;
  const { $schema: _, ...rest } = schema;
  return rest;
}

/**
 * Whether OpenAI's strict mode accepts the schema's objects: each closed
 * (`additionalProperties: false`) with every property required. A schema with optional fields is
 * sent with `strict: false`, which a strict-only API would reject.
 */
export function isStrictSchema(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(isStrictSchema);
  if (!isObject(schema)) return true;
  const properties = schema.properties;
  if (isObject(properties) || schema.type === "object") {
    if (schema.additionalProperties !== false) return false;
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    if (isObject(properties) && Object.keys(properties).some((key) => !required.has(key))) {
      return false;
    }
  }
  for (const key of ["properties", "$defs", "definitions"]) {
    const children = schema[key];
    if (isObject(children) && !Object.values(children).every(isStrictSchema)) return false;
  }
  for (const key of ["items", "prefixItems", "anyOf", "oneOf", "allOf"]) {
    if (key in schema && !isStrictSchema(schema[key])) return false;
  }
  return true;
}

/**
 * Whether a native structured-output call failed because the deployment cannot do it: thryd's
 * `UnsupportedFeatureError` for `response_format` (raised before sending), or a 400/422 answer
 * to the request that carried it.
 */
export function isStructuredOutputRejection(error: unknown): boolean {
  if (!isObject(error)) return false;
  if (error.code === "THRYD_UNSUPPORTED_FEATURE") {
    return typeof error.field === "string" && error.field.startsWith("response_format");
  }
  return error.code === "THRYD_API_ERROR" && (error.status === 400 || error.status === 422);
}
