import { mkdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Creates `directory` and its missing parents, one level at a time. Node's own
 * `mkdirSync(…, { recursive: true })` never returns for a path under `/proc` (the kernel answers
 * ENOENT for the child however often the parent exists, and Node retries), so a cache path
 * there would hang every request instead of failing.
 * @throws the `fs` error of the first level that cannot be created, or ENOTDIR when a level is a file
 */
export function ensureDirectory(directory: string): void {
  const missing: string[] = [];
  let current = path.resolve(directory);
  for (;;) {
    const stats = statSync(current, { throwIfNoEntry: false });
    if (stats) {
      if (!stats.isDirectory()) {
        throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), {
          code: "ENOTDIR",
          path: current,
        });
      }
      break;
    }
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level);
    } catch (error) {
      // Another process may have created it since the stat.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
