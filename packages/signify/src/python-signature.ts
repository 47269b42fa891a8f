import { NameCollisionError } from "./errors.js";
import { readerFor } from "./read-parameters.js";
import { toSnakeCase } from "./snake-case.js";
import type { ParameterInfo, SignifyOptions, TypeNode } from "./types.js";

// `keyword.kwlist` and `keyword.softkwlist` of Python 3.12.
const PYTHON_KEYWORDS = new Set([
  "False",
  "None",
  "True",
  "and",
  "as",
  "assert",
  "async",
  "await",
  "break",
  "class",
  "continue",
  "def",
  "del",
  "elif",
  "else",
  "except",
  "finally",
  "for",
  "from",
  "global",
  "if",
  "import",
  "in",
  "is",
  "lambda",
  "nonlocal",
  "not",
  "or",
  "pass",
  "raise",
  "return",
  "try",
  "while",
  "with",
  "yield",
  "_",
  "case",
  "match",
  "type",
]);
const HARD_KEYWORDS = new Set(
  [...PYTHON_KEYWORDS].filter((word) => !["_", "case", "match", "type"].includes(word)),
);

/** A Python identifier for a property name: snake_case, `_` for a leading digit, `_` after a keyword. */
export function pythonName(name: string): string {
  let snake = toSnakeCase(name);
  if (snake === "") snake = "_";
  if (/^\p{N}/u.test(snake)) snake = `_${snake}`;
  return HARD_KEYWORDS.has(snake) ? `${snake}_` : snake;
}

/** A Python literal for a JSON value. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "None";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${pythonRepr(item)}`)
      .join(", ")}}`;
  }
  return "None";
}

function renderType(type: TypeNode): string {
  switch (type.kind) {
    case "named":
      return type.python;
    case "list":
      return `list[${renderType(type.item)}]`;
    case "union":
      return `Union[${type.members.map(renderType).join(", ")}]`;
    case "literal":
      return `Literal[${type.values.map(pythonRepr).join(", ")}]`;
  }
}

interface PythonParameter {
  readonly name: string;
  /** The annotation in the signature. */
  readonly annotation: string;
  /** `= …` or empty. */
  readonly defaultText: string;
  readonly info: ParameterInfo;
}

function pythonParameters(schema: unknown, options: SignifyOptions): PythonParameter[] | undefined {
  const reader = readerFor(schema, options);
  if (!reader) return undefined;
  const seen = new Map<string, string>();
  return reader.parameters().map((info) => {
    const name = pythonName(info.originalName);
    const previous = seen.get(name);
    if (previous !== undefined) throw new NameCollisionError([previous, info.pointer], name);
    seen.set(name, info.pointer);
    const base = renderType(info.type);
    const nullableBase = info.nullable ? `Optional[${base}]` : base;
    if (info.isRequired) return { name, annotation: nullableBase, defaultText: "", info };
    if (info.hasDefault && info.defaultValue !== null) {
      return {
        name,
        annotation: nullableBase,
        defaultText: ` = ${pythonRepr(info.defaultValue)}`,
        info,
      };
    }
    return { name, annotation: `Optional[${base}]`, defaultText: " = None", info };
  });
}

/**
 * The Python signature of a function taking the schema's properties as keyword-only parameters:
 * `(*, a: int, b: Optional[str] = None)`; `()` without parameters; `null` when the schema is not
 * an object schema.
 * @throws {InvalidRefError} | {CyclicRefError} | {NameCollisionError} naming the JSON pointer
 */
export function schemaToSignature(schema: unknown, options: SignifyOptions = {}): string | null {
  const parameters = pythonParameters(schema, options);
  if (!parameters) return null;
  if (parameters.length === 0) return "()";
  return `(*, ${parameters.map((parameter) => `${parameter.name}: ${parameter.annotation}${parameter.defaultText}`).join(", ")})`;
}

/**
 * Text made safe inside a Python `"""` docstring: backslashes doubled (so `\x` is no escape
 * sequence), and quotes that could close the string (`"""`, or a quote next to another or at a
 * line end, where the closing quotes may follow) escaped. Python reads back the same text.
 */
export function escapeDocstring(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"(?="|$)|(?<=")"/gm, '\\"');
}

/**
 * The `Args:` section of a Google-style docstring for the same parameters, 4-space indented:
 * `name: type: description (required) (allowed values: a, b)`; `null` when there are none.
 * Everything taken from the schema is escaped for a `"""` docstring ({@link escapeDocstring}).
 * @throws {InvalidRefError} | {CyclicRefError} | {NameCollisionError} naming the JSON pointer
 */
export function schemaToDocstringArgs(
  schema: unknown,
  options: SignifyOptions = {},
): string | null {
  const parameters = pythonParameters(schema, options);
  if (!parameters || parameters.length === 0) return null;
  const lines = parameters.map(({ name, annotation, defaultText, info }) => {
    let line = `    ${name}: ${annotation}`;
    if (info.description) line += `: ${info.description}`;
    if (info.isRequired) line += " (required)";
    if (info.allowedValues) line += ` (allowed values: ${info.allowedValues.join(", ")})`;
    if (defaultText && defaultText !== " = None") line += ` (default: ${defaultText.slice(3)})`;
    return escapeDocstring(line);
  });
  return `Args:\n${lines.join("\n")}`;
}
