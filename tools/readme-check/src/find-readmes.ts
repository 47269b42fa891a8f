import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * The READMEs of a workspace, relative to `root` with `/` separators: the root `README.md`, then
 * `packages/<name>/README.md` and `tools/<name>/README.md`, each folder in name order.
 */
export function findReadmes(root: string): string[] {
  const found = existsSync(path.join(root, "README.md")) ? ["README.md"] : [];
  for (const folder of ["packages", "tools"]) {
    const parent = path.join(root, folder);
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent, { withFileTypes: true })
      .filter((candidate) => candidate.isDirectory())
      .map((candidate) => candidate.name)
      .sort()) {
      if (existsSync(path.join(parent, entry, "README.md")))
        found.push(`${folder}/${entry}/README.md`);
    }
  }
  return found;
}
