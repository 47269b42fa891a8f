import { existsSync } from "node:fs";
import path from "node:path";
import { createOverlayProgram, readTsconfig } from "../src/overlay-program.js";

/** Names the TypeScript checker reports for a package's source entry, sorted. */
export function sourceExportNames(packageDir: string, sourceEntry: string): string[] {
  const config = ["tsconfig.build.json", "tsconfig.json"]
    .map((name) => path.join(packageDir, name))
    .find((file) => existsSync(file));
  if (!config) throw new Error(`no tsconfig in ${packageDir}`);
  const parsed = readTsconfig(config);
  const program = createOverlayProgram(parsed.fileNames, parsed.options);
  const file = program.getSourceFile(path.join(packageDir, sourceEntry));
  if (!file) throw new Error(`${sourceEntry} is not part of ${config}`);
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(file);
  if (!symbol) return [];
  return checker
    .getExportsOfModule(symbol)
    .map((exported) => exported.name)
    .sort();
}
