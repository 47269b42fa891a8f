import { expect, inject, it } from "vitest";
import { normalizeName, PythonPackageScanner } from "../src/index.js";

// importlib.metadata restricted to the same directory, asked once per run by global-setup.ts;
// distributions without a name are unusable to it as well, and a second copy of a name is
// shadowed as on sys.path.
const python = inject("python");

it("finds exactly the distributions and versions importlib.metadata finds in this machine's purelib", async () => {
  const scanner = await new PythonPackageScanner({
    sitePackages: python.purelib,
    environment: python.environment,
  }).refresh();
  const actual = scanner
    .listInstalled()
    .map(({ name, version }) => [normalizeName(name), version])
    .sort(([left], [right]) => (left! < right! ? -1 : 1));
  expect(python.distributions.length).toBeGreaterThan(10);
  expect(actual).toEqual(python.distributions);
});
