import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Writes through a temporary sibling and a rename, so a reader never sees half a file. */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
