import { DuplicateChoiceError } from "../errors.js";

/** A TS enum object (string or numeric), e.g. `enum Color { Red = "red" }`. */
export type EnumObject = Readonly<Record<string, string | number>>;

/** A zod enum (`z.enum([...])`, `z.enum(TsEnum)`): anything with an `enum` object of members. */
export interface ZodEnumLike {
  readonly enum: EnumObject;
  readonly description?: string;
}

/** What `enumChoose` chooses from: a TS enum, an array of string literals, or a zod enum. */
export type EnumLike = readonly string[] | ZodEnumLike | EnumObject;

/** The member values of an `EnumLike`. */
export type EnumValue<E> = E extends readonly (infer S)[]
  ? S
  : E extends ZodEnumLike
    ? E["enum"][keyof E["enum"]]
    : E extends EnumObject
      ? E[keyof E]
      : never;

/** One member: the name the model answers with and the value returned. */
export interface EnumMember<V> {
  readonly name: string;
  readonly value: V;
}

function isZodEnum(value: unknown): value is ZodEnumLike {
  const members = (value as { enum?: unknown } | null)?.enum;
  return typeof members === "object" && members !== null && !Array.isArray(value);
}

/**
 * The members of an enum-like: array items name themselves; TS and zod enums are named by their
 * keys (numeric enums' reverse mappings left out), as the original names `StrEnum`/`IntEnum`
 * members.
 * @throws {DuplicateChoiceError} when two members share a name
 */
export function enumMembers<E extends EnumLike>(enumLike: E): EnumMember<EnumValue<E>>[] {
  let members: EnumMember<unknown>[];
  if (Array.isArray(enumLike)) {
    members = (enumLike as readonly string[]).map((item) => ({ name: item, value: item }));
  } else {
    const object = isZodEnum(enumLike) ? enumLike.enum : (enumLike as EnumObject);
    members = Object.entries(object)
      .filter(([key]) => !/^\d+$/.test(key) || typeof object[key] !== "string")
      .map(([name, value]) => ({ name, value }));
  }
  assertDistinctNames(members.map((member) => member.name));
  return members as EnumMember<EnumValue<E>>[];
}

/** The description of a zod enum (`.describe(…)`), shown to the model as the enum's docs. */
export function enumDescription(enumLike: EnumLike): string | undefined {
  return isZodEnum(enumLike) ? enumLike.description : undefined;
}

/** @throws {DuplicateChoiceError} naming every name given more than once */
export function assertDistinctNames(names: readonly string[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
  }
  if (duplicates.size > 0) throw new DuplicateChoiceError([...duplicates]);
}
