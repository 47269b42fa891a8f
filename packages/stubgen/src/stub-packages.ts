import { existsSync, readFileSync, rmSync } from "node:fs";
import { getLogger } from "@fabricatio/logger";
import { OutdatedDeclarationError } from "./errors.js";
import { type GeneratedDeclaration, generatePackageDeclarations } from "./package-declarations.js";
import { discoverPackages } from "./workspace-packages.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/** Options of {@link stubPackages}. */
export interface StubPackagesOptions {
  /** The workspace root. @default process.cwd() */
  root?: string;
  /** Package names to process; all opted-in packages when empty. */
  filter?: readonly string[];
  /** Compare with the files on disk instead of writing. */
  check?: boolean;
  /** Type-check each package's sources first (see `generatePackageDeclarations`). @default true */
  typeCheck?: boolean;
}

/** What {@link stubPackages} did for one entry point. */
export interface StubPackageResult extends GeneratedDeclaration {
  /** `written`, `unchanged`, or (with `check`) `outdated`. */
  readonly status: "written" | "unchanged" | "outdated";
}

/**
 * Generates the rolled-up declaration of every entry point of every opted-in workspace package,
 * writing each to its `types` path (or, with `check`, only comparing).
 * @throws {OutdatedDeclarationError} with `check`, when any file differs from what would be written
 */
export function stubPackages({
  root = process.cwd(),
  filter = [],
  check = false,
  typeCheck = true,
}: StubPackagesOptions = {}): StubPackageResult[] {
  const logger = getLogger("stubgen:packages");
  const results: StubPackageResult[] = [];
  for (const pkg of discoverPackages(root, filter)) {
    for (const declaration of generatePackageDeclarations({ packageDir: pkg.dir, typeCheck })) {
      const current = existsSync(declaration.outputPath)
        ? readFileSync(declaration.outputPath, "utf8")
        : undefined;
      if (current === declaration.text) {
        results.push({ ...declaration, status: "unchanged" });
      } else if (check) {
        results.push({ ...declaration, status: "outdated" });
      } else {
        writeFileAtomic(declaration.outputPath, declaration.text);
        // The compiler's map points into the file we just replaced.
        rmSync(`${declaration.outputPath}.map`, { force: true });
        results.push({ ...declaration, status: "written" });
      }
      logger.debug(`${declaration.packageName} ${declaration.subpath}: ${results.at(-1)?.status}`);
    }
  }
  const outdated = results.filter((result) => result.status === "outdated");
  if (outdated.length > 0)
    throw new OutdatedDeclarationError(outdated.map((result) => result.outputPath));
  return results;
}
