import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { normalizeName, PythonPackageScanner } from "../src/index.js";

// importlib.metadata restricted to the same directory; distributions without a name are unusable
// to it as well, and a second copy of a name is shadowed as on sys.path.
const IMPORTLIB = `
import importlib.metadata as md, json, re, sys
seen = {}
for dist in md.distributions(path=[sys.argv[1]]):
    name = dist.metadata["Name"]
    if name and dist.version:
        seen.setdefault(re.sub(r"[-_.]+", "-", name).lower(), dist.version)
print(json.dumps(sorted(seen.items())))
`;

it("finds exactly the distributions and versions importlib.metadata finds in this machine's purelib", async () => {
  const scanner = await new PythonPackageScanner({ python: "python3" }).refresh();
  const expected = JSON.parse(
    execFileSync("python3", ["-c", IMPORTLIB, scanner.sitePackages]).toString(),
  ) as [string, string][];
  const actual = scanner
    .listInstalled()
    .map(({ name, version }) => [normalizeName(name), version])
    .sort(([left], [right]) => (left! < right! ? -1 : 1));
  expect(expected.length).toBeGreaterThan(10);
  expect(actual).toEqual(expected);
});
