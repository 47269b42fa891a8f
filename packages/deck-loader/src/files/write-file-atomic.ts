import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { DeckIoError } from "../errors/deck-io-error.js";
import { hasSystemCode } from "./read-project-file.js";

const CHUNK_BYTES = 1 << 20;
const TEMPORARY = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Where writing `file` must land: the file itself, or, when it is a symbolic link, the file the
 * link points to, so the link stays a link.
 */
function writeTarget(file: string): string {
  let isLink = false;
  try {
    isLink = lstatSync(file).isSymbolicLink();
  } catch (error) {
    if (hasSystemCode(error, "ENOENT")) return file;
    throw new DeckIoError("write", file, error);
  }
  if (!isLink) return file;
  try {
    return realpathSync(file);
  } catch (error) {
    if (!hasSystemCode(error, "ENOENT")) throw new DeckIoError("write", file, error);
  }
  try {
    // A link to a file not written yet: create the file it names.
    return path.resolve(path.dirname(file), readlinkSync(file));
  } catch (error) {
    throw new DeckIoError("write", file, error);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !hasSystemCode(error, "ESRCH");
  }
}

/**
 * Removes the temporary files that earlier writes of `file` left when their process was killed
 * (SIGKILL cannot be caught): `.<name>.<pid>.<random>.tmp` whose process no longer runs.
 */
function removeStaleTemporaries(file: string): void {
  const folder = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (!match || match[1] !== base || isRunning(Number(match[2]))) continue;
    try {
      rmSync(path.join(folder, name), { force: true });
    } catch {
      // Cleaning up is a courtesy: a leftover that cannot be removed must not fail this write.
    }
  }
}

/**
 * Writes `data` to `file` so that readers see the old content or the new, never a part: into a
 * temporary sibling, flushed to disk, then renamed over `file`. A symbolic link at `file` is
 * kept and its target replaced; an existing file's permissions are kept. On failure the
 * temporary file is removed and `file` is untouched.
 * @throws {DeckIoError} naming `file` (never the temporary file)
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const target = writeTarget(file);
  removeStaleTemporaries(target);
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let descriptor: number | undefined;
  try {
    let existingMode: number | undefined;
    try {
      existingMode = statSync(target).mode & 0o7777;
    } catch (error) {
      if (!hasSystemCode(error, "ENOENT")) throw error;
    }
    descriptor = openSync(temporary, "wx", 0o666);
    if (existingMode !== undefined) fchmodSync(descriptor, existingMode);
    for (let offset = 0; offset < bytes.byteLength; ) {
      offset += writeSync(
        descriptor,
        bytes,
        offset,
        Math.min(CHUNK_BYTES, bytes.byteLength - offset),
      );
    }
    fsyncSync(descriptor);
    closeSync(descriptor);
    descriptor = undefined;
    renameSync(temporary, target);
  } catch (error) {
    if (descriptor !== undefined) closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw new DeckIoError("write", file, error);
  }
}
