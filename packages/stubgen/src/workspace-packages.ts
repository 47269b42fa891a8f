import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { EntryNotFoundError } from "./errors.js";
import { readManifest } from "./package-declarations.js";

/** A workspace package that opted in to declaration generation. */
export interface WorkspacePackage {
  /** The package name. */
  readonly name: string;
  /** Absolute path of its folder. */
  readonly dir: string;
}

/** The folder globs of `pnpm-workspace.yaml` (`packages:` list), or of package.json `workspaces`. */
function workspaceGlobs(root: string): string[] {
  const pnpmFile = path.join(root, "pnpm-workspace.yaml");
  if (existsSync(pnpmFile)) {
    const globs: string[] = [];
    let inPackages = false;
    for (const line of readFileSync(pnpmFile, "utf8").split(/\r?\n/)) {
      if (/^packages\s*:/.test(line)) {
        inPackages = true;
        continue;
      }
      if (inPackages && /^\S/.test(line)) inPackages = false;
      const item = inPackages ? /^\s+-\s+["']?([^"'#\s]+)["']?/.exec(line) : null;
      if (item?.[1]) globs.push(item[1]);
    }
    return globs;
  }
  const manifest = readManifest(root) as { workspaces?: string[] | { packages?: string[] } };
  const workspaces = manifest.workspaces;
  return Array.isArray(workspaces) ? workspaces : (workspaces?.packages ?? []);
}

/** Folders matched by one glob: a plain path, or a path ending in `/*`. */
function expandGlob(root: string, glob: string): string[] {
  if (glob.startsWith("!")) return [];
  if (!glob.endsWith("/*")) return [path.join(root, glob)];
  const parent = path.join(root, glob.slice(0, -2));
  if (!existsSync(parent)) return [];
  return readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(parent, entry.name));
}

/**
 * The packages of the workspace at `root` that opt in with `"fabricatio": { "stubgen": true }`,
 * sorted by name. `filter` keeps only the named ones.
 * @throws {EntryNotFoundError} when a filtered name is not an opted-in package
 */
export function discoverPackages(root: string, filter: readonly string[] = []): WorkspacePackage[] {
  const excluded = new Set(
    workspaceGlobs(root)
      .filter((glob) => glob.startsWith("!"))
      .map((glob) => path.join(root, glob.slice(1))),
  );
  const found: WorkspacePackage[] = [];
  for (const glob of workspaceGlobs(root)) {
    for (const dir of expandGlob(root, glob)) {
      if (excluded.has(dir) || !existsSync(path.join(dir, "package.json"))) continue;
      const manifest = readManifest(dir) as { name?: string; fabricatio?: { stubgen?: unknown } };
      if (manifest.fabricatio?.stubgen === true && manifest.name)
        found.push({ name: manifest.name, dir });
    }
  }
  found.sort((a, b) => a.name.localeCompare(b.name));
  if (filter.length === 0) return found;
  for (const name of filter) {
    if (!found.some((pkg) => pkg.name === name)) {
      throw new EntryNotFoundError(
        root,
        `"${name}" is not a workspace package that opts in to stubgen`,
      );
    }
  }
  return found.filter((pkg) => filter.includes(pkg.name));
}
