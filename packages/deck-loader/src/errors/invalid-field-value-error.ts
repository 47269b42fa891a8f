import type { RowLocation } from "../types.js";
import { DeckLoaderError } from "./deck-loader-error.js";

/** A cell Anki cannot store as is: a control character (U+001F separates fields) or a bad guid. */
export class InvalidFieldValueError extends DeckLoaderError {
  override readonly code = "DECK_INVALID_FIELD_VALUE";
  readonly row: RowLocation;
  /** 1-based column in the CSV. */
  readonly column: number;
  /** The column's name: a field name or `guid`. */
  readonly columnName: string;

  constructor({
    row,
    column,
    columnName,
    detail,
  }: {
    row: RowLocation;
    column: number;
    columnName: string;
    detail: string;
  }) {
    super(`${row.path}:${row.line}: column ${column} ("${columnName}") ${detail}`);
    this.row = row;
    this.column = column;
    this.columnName = columnName;
  }
}
