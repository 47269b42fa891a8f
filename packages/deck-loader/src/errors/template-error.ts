import { DeckLoaderError } from "./deck-loader-error.js";

/** A card template Anki would refuse or that could never make a card. */
export class TemplateError extends DeckLoaderError {
  override readonly code = "DECK_INVALID_TEMPLATE";
  /** The template file (or folder). */
  readonly path: string;

  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.path = path;
  }
}
