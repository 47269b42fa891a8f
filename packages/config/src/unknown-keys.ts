import type { z } from "zod";
import { didYouMean } from "./did-you-mean.js";

/** A key the schema does not know, inside a table it does. */
export interface UnknownKey {
  /** Dotted path of the key, e.g. `llm.tempreature`. */
  readonly path: string;
  /** The closest known key of the same table, when one is close enough to be a likely typo. */
  readonly suggestion: string | undefined;
}

interface ZodDefinition {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
}

function definition(schema: z.ZodType): ZodDefinition {
  return (schema as unknown as { _zod: { def: ZodDefinition } })._zod.def;
}

// Defaults, optionals and refinements wrap the schema that describes the value's shape.
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = definition(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Every key of `data` that `schema` would silently drop: a key of a known table (an object
 * schema) that the table does not declare. Records (`[ext]`, `mcp.servers`) accept any key;
 * their values are still checked. One walk over the data, linear in its size.
 */
export function findUnknownKeys(schema: z.ZodType, data: unknown, prefix = ""): UnknownKey[] {
  const found: UnknownKey[] = [];
  const visit = (node: z.ZodType, value: unknown, path: string): void => {
    const def = definition(unwrap(node));
    if (def.type === "object" && def.shape && isTable(value)) {
      const known = Object.keys(def.shape);
      for (const key of Object.keys(value)) {
        const child = def.shape[key];
        const childPath = path ? `${path}.${key}` : key;
        if (child) visit(child, value[key], childPath);
        else found.push({ path: childPath, suggestion: didYouMean(key, known) });
      }
    } else if (def.type === "array" && def.element && Array.isArray(value)) {
      const element = def.element;
      value.forEach((item, index) => {
        visit(element, item, `${path}.${index}`);
      });
    } else if (def.type === "record" && def.valueType && isTable(value)) {
      for (const key of Object.keys(value)) visit(def.valueType, value[key], `${path}.${key}`);
    }
  };
  visit(schema, data, prefix);
  return found;
}
