import { DeckLoaderError } from "./deck-loader-error.js";

/** A YAML or CSV file that cannot be parsed, lacks a key or has a value of the wrong kind. */
export class DeckConfigError extends DeckLoaderError {
  override readonly code = "DECK_INVALID_CONFIG";
  /** The offending file. */
  readonly path: string;

  constructor(path: string, detail: string, cause?: unknown) {
    super(`${path}: ${detail}`, { cause });
    this.path = path;
  }
}
