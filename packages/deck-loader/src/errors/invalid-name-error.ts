import { DeckLoaderError } from "./deck-loader-error.js";

/** A model or template name that is not a plain folder name, so it could reach outside the project. */
export class InvalidNameError extends DeckLoaderError {
  override readonly code = "DECK_INVALID_NAME";
  /** What the name is for: "model name", "template name". */
  readonly what: string;
  readonly value: string;

  constructor(what: string, value: string, reason: string) {
    super(`${what} ${JSON.stringify(value)} is not valid: ${reason}`);
    this.what = what;
    this.value = value;
  }
}
