/** Element types of lists, sets and mappings: the original's `str`, `int`, `float`, `bool`. */
export type ValueType = "str" | "int" | "float" | "bool";

/** What a value of each type is in TypeScript. */
export type ValueOf<V extends ValueType> = V extends "str"
  ? string
  : V extends "bool"
    ? boolean
    : number;

/** Whether `value` is of `type` as serde would accept it: `int` needs a whole number. */
export function isValueOfType(value: unknown, type: ValueType): boolean {
  switch (type) {
    case "int":
      return Number.isSafeInteger(value);
    case "float":
      return typeof value === "number" && Number.isFinite(value);
    case "bool":
      return typeof value === "boolean";
    case "str":
      return typeof value === "string";
  }
}

/** Whether an object key (always a string in JSON) reads as `type`, as serde reads map keys. */
export function isKeyOfType(key: string, type: Exclude<ValueType, "float">): boolean {
  switch (type) {
    case "int":
      return /^-?\d+$/.test(key) && Number.isSafeInteger(Number(key));
    case "bool":
      return key === "true" || key === "false";
    case "str":
      return true;
  }
}

/** The name the original's templates get for each type (its `ValueType` display). */
export const VALUE_TYPE_NAMES: Readonly<Record<ValueType, string>> = {
  str: "String",
  int: "Int",
  float: "Float",
  bool: "Bool",
};
