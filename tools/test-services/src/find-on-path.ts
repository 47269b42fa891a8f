import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

/**
 * The absolute path of the executable `command` on `env.PATH`, as a shell would find it, or
 * `undefined` when no directory of PATH holds one.
 */
export function findOnPath(
  command: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  for (const directory of (env.PATH ?? "").split(path.delimiter)) {
    if (directory === "") continue;
    const candidate = path.resolve(directory, command);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory, or not executable: a shell would keep looking too
    }
  }
  return undefined;
}
