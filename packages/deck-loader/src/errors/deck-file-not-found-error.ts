import { DeckLoaderError } from "./deck-loader-error.js";

/** A file the project needs (deck.yaml, fields.yaml, a template, a CSV to add) does not exist. */
export class DeckFileNotFoundError extends DeckLoaderError {
  override readonly code = "DECK_FILE_NOT_FOUND";
  /** The missing file, as the user's path. */
  readonly path: string;

  constructor(path: string, what: string) {
    super(`${what} not found: ${path}`);
    this.path = path;
  }
}
