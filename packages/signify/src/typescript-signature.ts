import { readerFor } from "./read-parameters.js";
import type { ParameterInfo, SignifyOptions, TypeNode } from "./types.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function renderType(type: TypeNode): string {
  switch (type.kind) {
    case "named":
      return type.typescript;
    case "list": {
      const item = renderType(type.item);
      return type.item.kind === "union" ||
        (type.item.kind === "literal" && type.item.values.length > 1)
        ? `(${item})[]`
        : `${item}[]`;
    }
    case "union":
      return type.members.map(renderType).join(" | ");
    case "literal":
      return type.values.length === 0
        ? "never"
        : type.values.map((value) => JSON.stringify(value)).join(" | ");
  }
}

function memberType(info: ParameterInfo): string {
  const base = renderType(info.type);
  return info.nullable ? `${base} | null` : base;
}

/**
 * The TypeScript signature of a function taking the schema's properties as one `args` object:
 * `(args: { a: number; b?: string })`; `()` without properties; `null` when the schema is not an
 * object schema. Property names stay as the schema spells them (quoted when needed).
 * @throws {InvalidRefError} | {CyclicRefError} naming the JSON pointer
 */
export function schemaToTsSignature(schema: unknown, options: SignifyOptions = {}): string | null {
  const reader = readerFor(schema, options);
  if (!reader) return null;
  const parameters = reader.parameters();
  if (parameters.length === 0) return "()";
  const members = parameters.map(
    (info) => `${propertyKey(info.originalName)}${info.isRequired ? "" : "?"}: ${memberType(info)}`,
  );
  const optional = parameters.every((info) => !info.isRequired) ? "?" : "";
  return `(args${optional}: { ${members.join("; ")} })`;
}

// Nothing from the schema may close the comment or break its lines.
function docText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/[\r\n\u2028\u2029]+/g, " ");
}

/**
 * A TSDoc block for the same function: the schema's `description`, then `@param args.<name>`
 * with each description, `(required)`, allowed values and default; `null` without properties.
 * @throws {InvalidRefError} | {CyclicRefError} naming the JSON pointer
 */
export function schemaToTsDoc(schema: unknown, options: SignifyOptions = {}): string | null {
  const reader = readerFor(schema, options);
  if (!reader) return null;
  const parameters = reader.parameters();
  if (parameters.length === 0) return null;
  const lines = ["/**"];
  const description = (schema as { description?: unknown }).description;
  if (typeof description === "string" && description.trim())
    lines.push(` * ${docText(description.trim())}`, " *");
  lines.push(" * @param args - The arguments.");
  for (const info of parameters) {
    let line = `@param args.${info.originalName} -`;
    if (info.description) line += ` ${info.description}`;
    if (info.isRequired) line += " (required)";
    if (info.allowedValues) line += ` (allowed values: ${info.allowedValues.join(", ")})`;
    if (info.hasDefault) line += ` (default: ${JSON.stringify(info.defaultValue)})`;
    lines.push(` * ${docText(line)}`);
  }
  lines.push(" */");
  return lines.join("\n");
}
