import { randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, readlinkSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./errors.js";

// Linux gives up on a symlink chain after 40 links; so do we.
const MAX_SYMLINKS = 40;

/**
 * The file a write to `file` must replace: `file` itself, or, when it is a symlink (a chain of
 * them), the file the chain ends at, so that the link survives the write.
 */
function writeTarget(file: string): string {
  let current = path.resolve(file);
  for (let hops = 0; hops < MAX_SYMLINKS; hops += 1) {
    let stats: ReturnType<typeof lstatSync>;
    try {
      stats = lstatSync(current);
    } catch {
      return current;
    }
    if (stats.isDirectory()) {
      throw new UsageError(`${file} is a directory; give the path of a file to write`);
    }
    if (!stats.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), readlinkSync(current));
  }
  throw new UsageError(`${file}: more than ${MAX_SYMLINKS} symbolic links in a row`);
}

/**
 * Writes through a temporary sibling and a rename, so a reader never sees half a file. A symlink
 * at `file` is written through (its target is replaced, the link stays); the temporary file is
 * removed whatever fails.
 * @throws {UsageError} when `file` is a directory
 */
export function writeFileAtomic(file: string, text: string): void {
  const target = writeTarget(file);
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
