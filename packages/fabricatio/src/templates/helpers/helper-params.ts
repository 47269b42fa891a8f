import type { HelperOptions } from "handlebars";
import { TemplateHelperError } from "../../errors.js";

/** A Handlebars helper body: the template parameters, the options, and the current context. */
export type HelperBody = (params: unknown[], options: HelperOptions, context: unknown) => unknown;

/**
 * Wraps `body` as a Handlebars helper that needs at least `arity` parameters, as a helper of
 * handlebars-rust's `handlebars_helper!` does: fewer is an error naming the helper.
 */
export function defineHelper(name: string, arity: number, body: HelperBody) {
  return function helper(this: unknown, ...args: unknown[]): unknown {
    const options = args.pop() as HelperOptions;
    if (args.length < arity) {
      throw new TemplateHelperError(name, `takes ${arity} parameter(s), got ${args.length}`);
    }
    return body(args, options, this);
  };
}

function typeName(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Parameter `index` as a string, else a `TemplateHelperError` as handlebars-rust's type check. */
export function stringParam(name: string, params: unknown[], index: number): string {
  const value = params[index];
  if (typeof value === "string") return value;
  throw new TemplateHelperError(
    name,
    `parameter ${index + 1} must be a string, got ${typeName(value)}`,
  );
}

/** Parameter `index` as an array of strings (Rust's `Vec<String>`). */
export function stringArrayParam(name: string, params: unknown[], index: number): string[] {
  const value = params[index];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return [...value];
  throw new TemplateHelperError(
    name,
    `parameter ${index + 1} must be an array of strings, got ${typeName(value)}`,
  );
}

/** Parameter `index` as a whole number within `[min, max]` (Rust's `i64`/`u64`). */
export function integerParam(
  name: string,
  params: unknown[],
  index: number,
  min: number = Number.MIN_SAFE_INTEGER,
): number {
  const value = params[index];
  if (typeof value === "number" && Number.isInteger(value) && value >= min) return value;
  throw new TemplateHelperError(
    name,
    `parameter ${index + 1} must be a whole number${min === 0 ? " of 0 or more" : ""}, got ${typeName(value) === "number" ? value : typeName(value)}`,
  );
}
