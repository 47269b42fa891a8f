import type { RowLocation } from "../types.js";
import { DeckLoaderError } from "./deck-loader-error.js";

/** Two rows that identify one note: the same key field value in a model, or the same `guid`. */
export class DuplicateNoteError extends DeckLoaderError {
  override readonly code = "DECK_DUPLICATE_NOTE";
  /** The earlier row. */
  readonly first: RowLocation;
  /** The later row. */
  readonly second: RowLocation;
  /** What they share: `key field "Front" = "x"` or `guid "abc"`. */
  readonly identity: string;

  constructor(first: RowLocation, second: RowLocation, identity: string) {
    super(
      `${second.path}:${second.line} and ${first.path}:${first.line} are the same note (${identity}):` +
        " Anki would keep one and drop the other. Make the key unique, give each row its own guid," +
        " or set `duplicates: merge` to keep the last row",
    );
    this.first = first;
    this.second = second;
    this.identity = identity;
  }
}
