import { DeckLoaderError } from "./deck-loader-error.js";

/** A CSV header row that does not name the model's fields. */
export class CsvHeaderError extends DeckLoaderError {
  override readonly code = "DECK_CSV_HEADER";
  /** The CSV file. */
  readonly path: string;
  /** Model fields with no column. */
  readonly missing: readonly string[];
  /** Columns that are neither a field nor `guid`. */
  readonly unknown: readonly string[];
  /** Columns named twice. */
  readonly repeated: readonly string[];

  constructor({
    path,
    missing,
    unknown,
    repeated,
  }: {
    path: string;
    missing: readonly string[];
    unknown: readonly string[];
    repeated: readonly string[];
  }) {
    const parts = [
      missing.length > 0 ? `missing column(s) ${quoteAll(missing)}` : "",
      unknown.length > 0 ? `unknown column(s) ${quoteAll(unknown)}` : "",
      repeated.length > 0 ? `column(s) named twice ${quoteAll(repeated)}` : "",
    ].filter(Boolean);
    super(
      `${path}:1: the header does not match the model's fields: ${parts.join("; ")}` +
        " (a CSV without a header row needs `header: false` in fields.yaml)",
    );
    this.path = path;
    this.missing = missing;
    this.unknown = unknown;
    this.repeated = repeated;
  }
}

function quoteAll(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(", ");
}
