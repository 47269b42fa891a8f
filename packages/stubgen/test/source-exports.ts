import { existsSync } from "node:fs";
import path from "node:path";
import { Project } from "ts-morph";

/** Names the TypeScript checker reports for a package's source entry, sorted. */
export function sourceExportNames(packageDir: string, sourceEntry: string): string[] {
  const config = ["tsconfig.build.json", "tsconfig.json"]
    .map((name) => path.join(packageDir, name))
    .find((file) => existsSync(file));
  if (!config) throw new Error(`no tsconfig in ${packageDir}`);
  const project = new Project({ tsConfigFilePath: config });
  const file = project.getSourceFileOrThrow(path.join(packageDir, sourceEntry));
  const checker = project.getTypeChecker().compilerObject;
  const symbol = checker.getSymbolAtLocation(file.compilerNode);
  if (!symbol) return [];
  return checker
    .getExportsOfModule(symbol)
    .map((exported) => exported.name)
    .sort();
}
