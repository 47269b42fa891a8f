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

/** A file the project needs (deck.yaml, fields.yaml, a CSV to add) does not exist. */
export class DeckFileNotFoundError extends DeckLoaderError {
  override readonly code = "DECK_FILE_NOT_FOUND";
  readonly path: string;

  constructor(path: string, what: string) {
    super(`${what} not found: ${path}`);
    this.path = path;
  }
}

/** A YAML or CSV file that cannot be parsed or lacks a key. */
export class DeckConfigError extends DeckLoaderError {
  override readonly code = "DECK_INVALID_CONFIG";
  readonly path: string;

  constructor(path: string, detail: string, cause?: unknown) {
    super(`${path}: ${detail}`, { cause });
    this.path = path;
  }
}

/** A CSV row whose number of fields differs from the model's. */
export class CsvFieldCountError extends DeckLoaderError {
  override readonly code = "DECK_CSV_FIELD_COUNT";
  readonly path: string;
  /** 1-based line of the row in the file. */
  readonly line: number;

  constructor(path: string, line: number, expected: number, actual: number) {
    super(`${path}:${line}: the row has ${actual} field(s), the model has ${expected}`);
    this.path = path;
    this.line = line;
  }
}

/** Two models with one `model_id`. */
export class DuplicateModelIdError extends DeckLoaderError {
  override readonly code = "DECK_DUPLICATE_MODEL_ID";

  constructor(modelId: number, models: readonly string[]) {
    super(`Models ${models.join(" and ")} share model_id ${modelId}`);
  }
}

/** Two media files with one name from different folders. */
export class DuplicateMediaError extends DeckLoaderError {
  override readonly code = "DECK_DUPLICATE_MEDIA";
  readonly fileName: string;

  constructor(fileName: string, paths: readonly string[]) {
    super(`Media file name ${fileName} is used twice: ${paths.join(", ")}`);
    this.fileName = fileName;
  }
}
