import type { RowLocation } from "../types.js";
import { DeckLoaderError } from "./deck-loader-error.js";

/** A row whose key field is empty and which has no `guid`: nothing identifies its note. */
export class EmptyKeyError extends DeckLoaderError {
  override readonly code = "DECK_EMPTY_KEY";
  readonly row: RowLocation;
  readonly keyField: string;

  constructor(row: RowLocation, keyField: string) {
    super(
      `${row.path}:${row.line}: the key field "${keyField}" is empty, so nothing identifies the note;` +
        " fill it in or give the row a guid",
    );
    this.row = row;
    this.keyField = keyField;
  }
}
