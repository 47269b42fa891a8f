import { DeckLoaderError } from "./deck-loader-error.js";

/** `createProjectTemplate` into a folder that is not empty, without `force`. */
export class ProjectExistsError extends DeckLoaderError {
  override readonly code = "DECK_PROJECT_EXISTS";
  readonly path: string;

  constructor(path: string) {
    super(
      `${path} is not empty; nothing was written. Use force (--force) to rewrite the project files;` +
        " the CSV data is kept unless you also ask to overwrite it (--overwrite-data)",
    );
    this.path = path;
  }
}
