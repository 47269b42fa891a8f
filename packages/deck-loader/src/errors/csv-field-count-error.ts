import { DeckLoaderError } from "./deck-loader-error.js";

/** A CSV row whose number of cells differs from its header (or, without a header, the model). */
export class CsvFieldCountError extends DeckLoaderError {
  override readonly code = "DECK_CSV_FIELD_COUNT";
  /** The CSV file. */
  readonly path: string;
  /** 1-based line where the row starts. */
  readonly line: number;

  constructor(path: string, line: number, expected: number, actual: number) {
    super(`${path}:${line}: the row has ${actual} field(s), expected ${expected}`);
    this.path = path;
    this.line = line;
  }
}
