const ERROR_BRAND = Symbol.for("fabricatio.error");

/** Base class of every error @fabricatio/signify throws. */
export class SignifyError extends Error {
  readonly [ERROR_BRAND] = true;
  /** Stable machine-readable code, prefixed `SIGNIFY_`. */
  readonly code: string = "SIGNIFY_ERROR";
  /** JSON pointer into the schema where the problem is. */
  readonly pointer: string;

  constructor(pointer: string, message: string) {
    super(`${pointer || "/"}: ${message}`);
    this.name = new.target.name;
    this.pointer = pointer;
  }
}

/** Whether `value` is a signify error, even from another copy of this package. */
export function isSignifyError(value: unknown): value is SignifyError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<PropertyKey, unknown>)[ERROR_BRAND] === true &&
    String((value as { code?: unknown }).code).startsWith("SIGNIFY_")
  );
}

/** A `$ref` that is not a local pointer or points at nothing. */
export class InvalidRefError extends SignifyError {
  override readonly code = "SIGNIFY_INVALID_REF";
  /** The `$ref` value. */
  readonly ref: string;

  constructor(pointer: string, ref: string, detail: string) {
    super(pointer, `cannot resolve $ref ${JSON.stringify(ref)}: ${detail}`);
    this.ref = ref;
  }
}

/** `$ref`s that lead back to themselves without passing through an array or object. */
export class CyclicRefError extends SignifyError {
  override readonly code = "SIGNIFY_CYCLIC_REF";
  /** The refs of the cycle, in order. */
  readonly cycle: readonly string[];

  constructor(pointer: string, cycle: readonly string[]) {
    super(pointer, `cyclic $ref: ${cycle.join(" → ")}`);
    this.cycle = cycle;
  }
}

/** Two properties that become the same parameter name. */
export class NameCollisionError extends SignifyError {
  override readonly code = "SIGNIFY_NAME_COLLISION";
  /** The parameter name both map to. */
  readonly parameter: string;

  constructor(pointers: readonly [string, string], parameter: string) {
    super(pointers[1], `becomes parameter "${parameter}", as ${pointers[0]} does`);
    this.parameter = parameter;
  }
}

/** A schema, default or enum value nested deeper than {@link MAX_SCHEMA_DEPTH} levels. */
export class SchemaTooDeepError extends SignifyError {
  override readonly code = "SIGNIFY_TOO_DEEP";
  /** The nesting limit that was exceeded. */
  readonly limit: number;

  constructor(pointer: string, limit: number) {
    super(pointer, `nested deeper than ${limit} levels; such a schema cannot be rendered`);
    this.limit = limit;
  }
}

/**
 * How deep types (`items`, `anyOf`, `$ref` chains) and JSON values (defaults, enums) may nest.
 * Deeper input is a {@link SchemaTooDeepError}, not a stack overflow.
 */
export const MAX_SCHEMA_DEPTH = 128;
