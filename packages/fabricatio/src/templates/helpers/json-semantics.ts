/** JSON values as handlebars-rust sees them: a missing value is `null`. */
function normalise(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** Deep equality of JSON values (serde_json's `==`): `5` and `"5"` differ, `[5]` equals `[5]`. */
export function jsonEqual(left: unknown, right: unknown): boolean {
  const a = normalise(left);
  const b = normalise(right);
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => jsonEqual(item, b[index]))
    );
  }
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
    const aKeys = Object.keys(a);
    const bKeys = Object.keys(b);
    return (
      aKeys.length === bKeys.length &&
      aKeys.every(
        (key) =>
          Object.hasOwn(b, key) &&
          jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
      )
    );
  }
  return false;
}

const SMALLEST_NORMAL = 2.2250738585072014e-308;

/**
 * handlebars-rust's truthiness (`is_truthy(false)`): `false`, `null`, `0` (and subnormal numbers),
 * `""`, `[]` and `{}` are false.
 */
export function isTruthy(value: unknown): boolean {
  const json = normalise(value);
  if (json === null) return false;
  if (typeof json === "boolean") return json;
  if (typeof json === "number") return Number.isFinite(json) && Math.abs(json) >= SMALLEST_NORMAL;
  if (typeof json === "string") return json.length > 0;
  if (Array.isArray(json)) return json.length > 0;
  if (typeof json === "object") return Object.keys(json).length > 0;
  return Boolean(json);
}

// serde_json's number grammar: what a string must look like to compare with a number.
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function compareBytes(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, "utf8"), Buffer.from(right, "utf8"));
}

function sign(difference: number): number {
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/**
 * Orders two JSON values as handlebars-rust's comparison helpers do: numbers numerically, strings
 * by their UTF-8 bytes, booleans `false < true`, a number against a numeric string numerically;
 * `undefined` for any other pair (every comparison is then false).
 */
export function compareJson(left: unknown, right: unknown): -1 | 0 | 1 | undefined {
  const a = normalise(left);
  const b = normalise(right);
  if (typeof a === "number" && typeof b === "number") return sign(a - b) as -1 | 0 | 1;
  if (typeof a === "string" && typeof b === "string") return sign(compareBytes(a, b)) as -1 | 0 | 1;
  if (typeof a === "boolean" && typeof b === "boolean")
    return sign(Number(a) - Number(b)) as -1 | 0 | 1;
  if (typeof a === "number" && typeof b === "string") {
    return JSON_NUMBER.test(b) ? (sign(a - Number(b)) as -1 | 0 | 1) : undefined;
  }
  if (typeof a === "string" && typeof b === "number") {
    return JSON_NUMBER.test(a) ? (sign(Number(a) - b) as -1 | 0 | 1) : undefined;
  }
  return undefined;
}
