/** Options of the signature and docstring functions. */
export interface SignifyOptions {
  /** Render `enum`/`const` as `Literal[...]` (Python) or literal unions (TypeScript). @default false */
  literals?: boolean;
}

/** A parameter type, before it is rendered for one language. */
export type TypeNode =
  | { readonly kind: "named"; readonly python: string; readonly typescript: string }
  | { readonly kind: "list"; readonly item: TypeNode }
  | { readonly kind: "union"; readonly members: readonly TypeNode[] }
  | { readonly kind: "literal"; readonly values: readonly unknown[] };

/** One property of the schema as a parameter. */
export interface ParameterInfo {
  /** The property name in the schema. */
  readonly originalName: string;
  /** JSON pointer of the property. */
  readonly pointer: string;
  /** The type without its null-ness. */
  readonly type: TypeNode;
  /** Whether `null` is an allowed value. */
  readonly nullable: boolean;
  readonly description: string;
  readonly isRequired: boolean;
  /** String `enum` values, shown as "allowed values". */
  readonly allowedValues: readonly string[] | undefined;
  /** Whether the schema gives a default, and which. */
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
}
