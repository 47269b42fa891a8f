import { CyclicRefError, InvalidRefError, MAX_SCHEMA_DEPTH, SchemaTooDeepError } from "./errors.js";
import type { ParameterInfo, SignifyOptions, TypeNode } from "./types.js";

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const PRIMITIVES: Readonly<Record<string, TypeNode>> = {
  string: { kind: "named", python: "str", typescript: "string" },
  number: { kind: "named", python: "float", typescript: "number" },
  integer: { kind: "named", python: "int", typescript: "number" },
  boolean: { kind: "named", python: "bool", typescript: "boolean" },
  object: { kind: "named", python: "dict[str, object]", typescript: "Record<string, unknown>" },
};
const ANY: TypeNode = { kind: "named", python: "object", typescript: "unknown" };
const NULL_TYPE = "null";
const NONE: TypeNode = { kind: "named", python: "None", typescript: "null" };

/**
 * Throws when a JSON value nests deeper than {@link MAX_SCHEMA_DEPTH}; walks it without
 * recursion, so the check itself cannot overflow.
 */
function checkValueDepth(value: unknown, pointer: string): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth >= MAX_SCHEMA_DEPTH) throw new SchemaTooDeepError(pointer, MAX_SCHEMA_DEPTH);
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      stack.push([child, depth + 1]);
    }
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** A resolved type: its node and whether null is allowed. */
interface Resolved {
  readonly type: TypeNode;
  readonly nullable: boolean;
}

/** Reads a schema's parameters; holds the root for `$ref` lookups. */
export class SchemaReader {
  constructor(
    private readonly root: JsonObject,
    private readonly options: SignifyOptions,
  ) {}

  private resolveRef(
    ref: unknown,
    pointer: string,
    seen: readonly string[],
  ): { schema: JsonObject; seen: string[] } {
    if (typeof ref !== "string" || !ref.startsWith("#/")) {
      throw new InvalidRefError(
        pointer,
        String(ref),
        "only local refs (#/$defs/…, #/definitions/…) are supported",
      );
    }
    if (seen.includes(ref)) throw new CyclicRefError(pointer, [...seen, ref]);
    let node: unknown = this.root;
    for (const raw of ref.slice(2).split("/")) {
      const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      node = isObject(node) ? node[key] : undefined;
    }
    if (!isObject(node))
      throw new InvalidRefError(pointer, ref, "nothing (or no object) at that pointer");
    return { schema: node, seen: [...seen, ref] };
  }

  /**
   * The type of a property schema, or `undefined` when it declares none (no `type`, `$ref`,
   * `anyOf`/`oneOf`, `enum` or `const`): such properties are skipped, as the original does.
   * @param asItem whether the schema is an array's `items` (unknown type names become `object`)
   */
  typeOf(
    schema: JsonObject,
    pointer: string,
    seen: readonly string[] = [],
    asItem = false,
    depth = 0,
  ): Resolved | undefined {
    if (depth >= MAX_SCHEMA_DEPTH) throw new SchemaTooDeepError(pointer, MAX_SCHEMA_DEPTH);
    if ("$ref" in schema) {
      const target = this.resolveRef(schema.$ref, `${pointer}/$ref`, seen);
      return this.typeOf(target.schema, pointer, target.seen, asItem, depth + 1);
    }
    if (this.options.literals && ("const" in schema || Array.isArray(schema.enum))) {
      const values = "const" in schema ? [schema.const] : (schema.enum as unknown[]);
      checkValueDepth(values, `${pointer}/${"const" in schema ? "const" : "enum"}`);
      const nonNull = values.filter((value) => value !== null);
      if (nonNull.length === 0) return { type: NONE, nullable: false };
      return {
        type: { kind: "literal", values: nonNull },
        nullable: nonNull.length < values.length,
      };
    }
    for (const keyword of ["anyOf", "oneOf"] as const) {
      const variants = schema[keyword];
      if (!Array.isArray(variants)) continue;
      const members: TypeNode[] = [];
      let nullable = false;
      variants.forEach((variant, index) => {
        if (!isObject(variant)) return;
        const resolved = this.typeOf(
          variant,
          `${pointer}/${keyword}/${index}`,
          seen,
          asItem,
          depth + 1,
        );
        if (!resolved) {
          members.push(ANY);
          return;
        }
        nullable ||= resolved.nullable;
        if (!(resolved.type.kind === "named" && resolved.type.python === "None"))
          members.push(resolved.type);
      });
      return { type: union(members), nullable };
    }
    const declared = schema.type;
    if (Array.isArray(declared)) {
      const names = declared.filter((name): name is string => typeof name === "string");
      const nullable = names.includes(NULL_TYPE);
      const members = names
        .filter((name) => name !== NULL_TYPE)
        .map((name) => this.namedType(name, schema, pointer, seen, asItem, depth));
      return { type: union(members), nullable };
    }
    if (typeof declared === "string") {
      if (declared === NULL_TYPE) return { type: NONE, nullable: false };
      return {
        type: this.namedType(declared, schema, pointer, seen, asItem, depth),
        nullable: false,
      };
    }
    if (Array.isArray(schema.enum) || "const" in schema) {
      const values = "const" in schema ? [schema.const] : (schema.enum as unknown[]);
      const types = [...new Set(values.map(jsonTypeOf))];
      const nullable = types.includes(NULL_TYPE);
      return {
        type: union(
          types.filter((type) => type !== NULL_TYPE).map((type) => PRIMITIVES[type] ?? ANY),
        ),
        nullable,
      };
    }
    return undefined;
  }

  private namedType(
    name: string,
    schema: JsonObject,
    pointer: string,
    seen: readonly string[],
    asItem: boolean,
    depth: number,
  ): TypeNode {
    if (name === "array") {
      const items = schema.items;
      if (!isObject(items)) return { kind: "list", item: ANY };
      const item = this.typeOf(items, `${pointer}/items`, seen, true, depth + 1);
      if (!item) return { kind: "list", item: ANY };
      return { kind: "list", item: item.nullable ? union([item.type, NONE]) : item.type };
    }
    const primitive = PRIMITIVES[name];
    if (primitive) return primitive;
    // The original passes an unknown type name through at the top level, and says `object` for items.
    return asItem ? ANY : { kind: "named", python: name, typescript: "unknown" };
  }

  /** The parameters: required ones in `required` order, then optional ones in property order. */
  parameters(): ParameterInfo[] {
    const properties = this.root.properties as JsonObject;
    const required = (this.root.required as string[] | undefined) ?? [];
    const requiredSet = new Set(required);
    const names = [
      ...required.filter((name) => Object.hasOwn(properties, name)),
      ...Object.keys(properties).filter((name) => !requiredSet.has(name)),
    ];
    const parameters: ParameterInfo[] = [];
    for (const name of names) {
      const schema = properties[name];
      if (!isObject(schema)) continue;
      const pointer = `/properties/${escapePointer(name)}`;
      const resolved = this.typeOf(schema, pointer);
      if (!resolved) continue;
      if ("default" in schema) checkValueDepth(schema.default, `${pointer}/default`);
      const enumValues =
        schema.type === "string" && Array.isArray(schema.enum)
          ? schema.enum.filter((value): value is string => typeof value === "string")
          : undefined;
      parameters.push({
        originalName: name,
        pointer,
        type: resolved.type,
        nullable: resolved.nullable,
        description: typeof schema.description === "string" ? schema.description.trim() : "",
        isRequired: requiredSet.has(name),
        allowedValues: enumValues,
        hasDefault: "default" in schema,
        defaultValue: schema.default,
      });
    }
    return parameters;
  }
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return NULL_TYPE;
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function union(members: readonly TypeNode[]): TypeNode {
  const unique: TypeNode[] = [];
  const seen = new Set<string>();
  for (const member of members) {
    const key = JSON.stringify(member);
    if (!seen.has(key)) {
      seen.add(key);
      unique.push(member);
    }
  }
  if (unique.length === 0) return ANY;
  return unique.length === 1 ? unique[0]! : { kind: "union", members: unique };
}

/**
 * A reader for an object schema, or `undefined` when `schema` is not one: not a JSON object,
 * or `properties`/`required` of the wrong shape (the original answers `None` for those).
 */
export function readerFor(schema: unknown, options: SignifyOptions = {}): SchemaReader | undefined {
  if (!isObject(schema)) return undefined;
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  if (!isObject(properties)) return undefined;
  if (!Array.isArray(required) || !required.every((name) => typeof name === "string"))
    return undefined;
  return new SchemaReader({ ...schema, properties, required }, options);
}
