const ERROR_BRAND = Symbol.for("fabricatio.error");

/** Base class of every error @fabricatio/tex-convertor throws. */
export class TexConvertorError extends Error {
  readonly [ERROR_BRAND] = true;
  /** Stable machine-readable code, prefixed `TEX_`. */
  readonly code: string = "TEX_ERROR";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A formula tex2typst cannot convert. */
export class TexConversionError extends TexConvertorError {
  override readonly code = "TEX_CONVERSION_FAILED";
  /** The TeX that failed. */
  readonly tex: string;

  constructor(tex: string, cause: unknown) {
    super(
      `Cannot convert TeX ${JSON.stringify(tex.length > 200 ? `${tex.slice(0, 200)}…` : tex)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.tex = tex;
  }
}

/** Whether `value` is a tex-convertor error, even from another copy of this package. */
export function isTexConvertorError(value: unknown): value is TexConvertorError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<PropertyKey, unknown>)[ERROR_BRAND] === true &&
    String((value as { code?: unknown }).code).startsWith("TEX_")
  );
}
