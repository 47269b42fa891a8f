import { realpathSync, statSync } from "node:fs";
import path from "node:path";
import { DeckIoError } from "../errors/deck-io-error.js";
import { MediaLinkError } from "../errors/media-link-error.js";
import { hasSystemCode, listFolder } from "./read-project-file.js";

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/**
 * The files of a media folder, sorted: regular files, and symbolic links that resolve to a file
 * inside the project (under the link's own name). Folders are not media and are left out.
 * @throws {MediaLinkError} for a link that points outside the project or nowhere
 * @throws {DeckIoError} when the folder or a link cannot be read
 */
export function mediaFiles(folder: string, projectRoot: string): string[] {
  const entries = listFolder(folder);
  if (entries.length === 0) return [];
  let root: string;
  try {
    root = realpathSync(projectRoot);
  } catch (error) {
    throw new DeckIoError("resolve", projectRoot, error);
  }
  const files: string[] = [];
  for (const entry of entries) {
    const file = path.join(folder, entry.name);
    if (entry.isFile()) files.push(file);
    if (!entry.isSymbolicLink()) continue;
    let target: string;
    try {
      target = realpathSync(file);
    } catch (error) {
      if (hasSystemCode(error, "ENOENT") || hasSystemCode(error, "ELOOP"))
        throw new MediaLinkError(file, null, "the symbolic link points to nothing");
      throw new DeckIoError("resolve", file, error);
    }
    if (!isInside(root, target))
      throw new MediaLinkError(
        file,
        target,
        `the symbolic link points outside the project, to ${target}; copy the file into the project instead`,
      );
    try {
      if (statSync(target).isFile()) files.push(file);
    } catch (error) {
      throw new DeckIoError("read", file, error);
    }
  }
  return files;
}
