import type { InstalledPackage } from "./types.js";

/** The public view of indexed packages, sorted by the given key (a normalised name). */
export function sortedPackages<T extends InstalledPackage>(
  packages: Iterable<T>,
  sortKey: (entry: T) => string,
): InstalledPackage[] {
  return [...packages]
    .sort((left, right) => (sortKey(left) < sortKey(right) ? -1 : 1))
    .map(({ name, version, path }) => ({ name, version, path }));
}
