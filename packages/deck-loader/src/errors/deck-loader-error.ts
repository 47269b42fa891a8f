const ERROR_BRAND = Symbol.for("fabricatio.error");

/** Base class of every error @fabricatio/deck-loader throws. */
export class DeckLoaderError extends Error {
  readonly [ERROR_BRAND] = true;
  /** Stable machine-readable code, prefixed `DECK_`. */
  readonly code: string = "DECK_ERROR";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether `value` is a deck-loader error, even from another copy of this package. */
export function isDeckLoaderError(value: unknown): value is DeckLoaderError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<PropertyKey, unknown>)[ERROR_BRAND] === true &&
    String((value as { code?: unknown }).code).startsWith("DECK_")
  );
}
