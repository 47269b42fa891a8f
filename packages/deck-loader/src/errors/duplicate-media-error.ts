import { DeckLoaderError } from "./deck-loader-error.js";

/** Two media files with one name from different folders. */
export class DuplicateMediaError extends DeckLoaderError {
  override readonly code = "DECK_DUPLICATE_MEDIA";
  readonly fileName: string;

  constructor(fileName: string, paths: readonly string[]) {
    super(`Media file name ${fileName} is used twice: ${paths.join(", ")}`);
    this.fileName = fileName;
  }
}
