import { DeckLoaderError } from "./deck-loader-error.js";

/** A symbolic link in a media folder that points outside the project, or nowhere. */
export class MediaLinkError extends DeckLoaderError {
  override readonly code = "DECK_MEDIA_LINK";
  /** The link itself. */
  readonly path: string;
  /** Where it points, resolved; null when it points nowhere. */
  readonly target: string | null;

  constructor(path: string, target: string | null, detail: string) {
    super(`${path}: ${detail}`);
    this.path = path;
    this.target = target;
  }
}
