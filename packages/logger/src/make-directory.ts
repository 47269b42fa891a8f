import { mkdirSync, statSync } from "node:fs";
import path from "node:path";

function existingKind(target: string): "directory" | "other" | undefined {
  try {
    return statSync(target).isDirectory() ? "directory" : "other";
  } catch {
    return undefined;
  }
}

/**
 * Creates `directory` and its missing parents, one level at a time.
 *
 * `mkdirSync(…, { recursive: true })` loops forever when a file system answers `ENOENT` for a
 * directory whose parent exists (Node 20 under `/proc`): it retries the parent, gets `EEXIST`,
 * and starts over. Walking down from the deepest existing ancestor turns that answer into an
 * error instead.
 * @throws {Error} the `mkdir` error, with a message naming the directory the system refused
 */
export function makeDirectory(directory: string): void {
  const missing: string[] = [];
  let current = path.resolve(directory);
  while (existingKind(current) === undefined) {
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const target of missing.reverse()) {
    try {
      mkdirSync(target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && existingKind(target) === "directory") continue;
      if (code === "ENOENT" && existingKind(path.dirname(target)) === "directory") {
        throw new Error(
          `the file system refused to create ${target} although ${path.dirname(target)} exists (${code}; a virtual file system such as /proc?)`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}
