import type { HelperDelegate, HelperOptions } from "handlebars";
import { defineHelper } from "./helper-params.js";
import { compareJson, isTruthy, jsonEqual } from "./json-semantics.js";

/**
 * A boolean helper of handlebars-rust: inline it writes `true`/`false`, as a block it renders its
 * body or its `{{else}}`, as a subexpression it is the boolean.
 */
function booleanHelper(name: string, arity: number, test: (params: unknown[]) => boolean) {
  return defineHelper(name, arity, (params, options: HelperOptions, context) => {
    const value = test(params);
    if (typeof options.fn !== "function") return value;
    return value ? options.fn(context) : options.inverse(context);
  });
}

function comparison(name: string, accept: (order: -1 | 0 | 1) => boolean) {
  return booleanHelper(name, 2, ([left, right]) => {
    const order = compareJson(left, right);
    return order !== undefined && accept(order);
  });
}

/** `len`: items of an array, keys of an object, UTF-8 bytes of a string (Rust's `str::len`), else 0. */
export function jsonLength(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value === "string") return Buffer.byteLength(value, "utf8");
  if (typeof value === "object" && value !== null) return Object.keys(value).length;
  return 0;
}

/**
 * The helpers handlebars-rust registers by default and the original's templates may use, with
 * the same semantics: `eq`/`ne` (deep JSON equality), `gt`/`gte`/`lt`/`lte` (numbers, strings by
 * bytes, booleans, a number against a numeric string; any other pair is false), `and`/`or`
 * (any number of parameters, by truthiness: `false`, `null`, `0`, `""`, `[]`, `{}` are false),
 * `not`, and `len`.
 */
export function rustBuiltinHelpers(): Record<string, HelperDelegate> {
  return {
    eq: booleanHelper("eq", 2, ([left, right]) => jsonEqual(left, right)),
    ne: booleanHelper("ne", 2, ([left, right]) => !jsonEqual(left, right)),
    gt: comparison("gt", (order) => order === 1),
    gte: comparison("gte", (order) => order !== -1),
    lt: comparison("lt", (order) => order === -1),
    lte: comparison("lte", (order) => order !== 1),
    and: booleanHelper("and", 0, (params) => params.every(isTruthy)),
    or: booleanHelper("or", 0, (params) => params.some(isTruthy)),
    not: booleanHelper("not", 1, ([value]) => !isTruthy(value)),
    len: defineHelper("len", 1, ([value]) => jsonLength(value)),
  };
}
