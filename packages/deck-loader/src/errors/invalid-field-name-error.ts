import { DeckLoaderError } from "./deck-loader-error.js";

/** A field name Anki's editor refuses: empty, `:` `{` `}` `"`, a leading `#` `/` `^`, twice. */
export class InvalidFieldNameError extends DeckLoaderError {
  override readonly code = "DECK_INVALID_FIELD_NAME";
  /** Where the name was given (fields.yaml, or `--fields`). */
  readonly path: string;
  readonly fieldName: string;

  constructor(path: string, fieldName: string, reason: string) {
    super(`${path}: field name ${JSON.stringify(fieldName)} is not valid in Anki: ${reason}`);
    this.path = path;
    this.fieldName = fieldName;
  }
}
