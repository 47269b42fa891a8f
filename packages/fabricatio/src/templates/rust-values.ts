/**
 * How handlebars-rust writes a value with `{{value}}`: strings as they are, numbers and booleans
 * as text, `null` as nothing, arrays as `[a, b]`, objects as `[object]`.
 */
export function renderJsonValue(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(renderJsonValue).join(", ")}]`;
  if (typeof value === "object") return "[object]";
  return String(value);
}

/** An array that Handlebars writes the way handlebars-rust does. */
class RustRenderedArray<T> extends Array<T> {
  override toString(): string {
    return renderJsonValue(this);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A copy of template data whose arrays and plain objects print as handlebars-rust prints them
 * (JS Handlebars would write `a,b` and `[object Object]`); iteration, lookups, `length` and JSON
 * serialisation are unchanged. Other objects (class instances) are kept as they are.
 */
export function asRustRendered(value: unknown): unknown {
  if (Array.isArray(value)) {
    const copy = new RustRenderedArray<unknown>();
    for (const item of value) copy.push(asRustRendered(item));
    return copy;
  }
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = asRustRendered(item);
    Object.defineProperty(copy, "toString", { value: () => "[object]", enumerable: false });
    return copy;
  }
  return value;
}
