// Fails when a changeset file does not parse or names a package that is not in the workspace,
// so a broken changeset is caught here rather than at release time.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import parse from "@changesets/parse";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const names = new Set(
  readdirSync(path.join(root, "packages")).map(
    (dir) =>
      JSON.parse(readFileSync(path.join(root, "packages", dir, "package.json"), "utf8")).name,
  ),
);
let problems = 0;
const folder = path.join(root, ".changeset");
const files = readdirSync(folder).filter((file) => file.endsWith(".md") && file !== "README.md");
for (const file of files) {
  try {
    const { releases } = parse(readFileSync(path.join(folder, file), "utf8"));
    if (releases.length === 0) throw new Error("names no package");
    for (const release of releases) {
      if (!names.has(release.name)) throw new Error(`names unknown package ${release.name}`);
    }
  } catch (error) {
    console.error(`.changeset/${file}: ${error instanceof Error ? error.message : String(error)}`);
    problems += 1;
  }
}
console.log(`${files.length} changeset(s) checked`);
process.exit(problems > 0 ? 1 : 0);
