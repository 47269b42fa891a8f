import type { RowLocation } from "../types.js";
import { DeckLoaderError } from "./deck-loader-error.js";

/** A row that would make a note without cards, which Anki deletes. */
export class EmptyNoteError extends DeckLoaderError {
  override readonly code = "DECK_EMPTY_NOTE";
  readonly row: RowLocation;

  constructor(row: RowLocation, reason: string) {
    super(
      `${row.path}:${row.line}: the row makes no card (${reason}); fill it in, remove it,` +
        " or set `empty_rows: skip` to skip such rows with a warning",
    );
    this.row = row;
  }
}
