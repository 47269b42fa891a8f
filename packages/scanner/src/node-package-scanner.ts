import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { getLogger } from "@fabricatio/logger";
import semver from "semver";
import { ScannerNotRefreshedError, ScanRootNotFoundError } from "./errors.js";
import { sortedPackages } from "./sorted-packages.js";
import type { InstalledPackage, ScanProblem } from "./types.js";

/** Options of {@link NodePackageScanner}. */
export interface NodePackageScannerOptions {
  /** The directory packages are resolved from, as `import` in a file there would. @default process.cwd() */
  readonly root?: string;
}

interface NodePackage extends InstalledPackage {
  readonly features: ReadonlyMap<string, boolean>;
}

interface PackageJson {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly peerDependencies?: unknown;
  readonly fabricatio?: { readonly features?: unknown };
}

interface NodeScan {
  readonly packages: Map<string, NodePackage>;
  readonly problems: ScanProblem[];
}

const logger = () => getLogger("scanner:node");

/**
 * Lists the npm packages visible from a directory — every `node_modules` from it up to the
 * filesystem root, nearest first, scoped names and pnpm's symlinked layout included — and which
 * optional features of them have their peer dependencies present. Call {@link refresh} first.
 */
export class NodePackageScanner {
  readonly #root: string | undefined;
  #scan?: NodeScan;

  constructor(options: NodePackageScannerOptions = {}) {
    this.#root = options.root;
  }

  /**
   * Rescans. A package whose `package.json` is unreadable or lacks a version is skipped and
   * listed in {@link problems}.
   * @throws {ScanRootNotFoundError} when the root directory does not exist
   */
  async refresh(): Promise<this> {
    const root = resolve(this.#root ?? process.cwd());
    const isDirectory = await stat(root).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    if (!isDirectory) throw new ScanRootNotFoundError(root);
    const packages = new Map<string, NodePackage>();
    const problems: ScanProblem[] = [];
    for (const modules of nodeModulesChain(root)) {
      const names = (await listPackageNames(modules)).filter((name) => !packages.has(name));
      const found = await Promise.all(names.map((name) => readPackage(join(modules, name), name)));
      for (const [index, entry] of found.entries()) {
        if ("code" in entry) problems.push(entry);
        else packages.set(names[index]!, entry);
      }
    }
    for (const problem of problems) logger().warn(problem.message, { path: problem.path });
    logger().debug(`found ${packages.size} packages visible from ${root}`);
    this.#scan = { packages, problems };
    return this;
  }

  /** Problems met by the last refresh. */
  get problems(): readonly ScanProblem[] {
    return this.#scan?.problems ?? [];
  }

  /** Every visible package, sorted by name; `path` is its real directory. @throws {ScannerNotRefreshedError} */
  listInstalled(): InstalledPackage[] {
    return sortedPackages(this.#current().packages.values(), (entry) => entry.name);
  }

  /** Whether `name` (such as `@scope/pkg`) is visible. @throws {ScannerNotRefreshedError} */
  isInstalled(name: string): boolean {
    return this.#current().packages.has(name);
  }

  /** The visible version of `name`, or `undefined`. @throws {ScannerNotRefreshedError} */
  version(name: string): string | undefined {
    return this.#current().packages.get(name)?.version;
  }

  /** The feature names `name` declares under `fabricatio.features`, sorted. @throws {ScannerNotRefreshedError} */
  features(name: string): string[] {
    return [...(this.#current().packages.get(name)?.features.keys() ?? [])].sort();
  }

  /**
   * Whether every optional peer dependency listed for `feature` in `pkg`'s
   * `package.json` (`"fabricatio": { "features": { "<feature>": ["dep", …] } }`) resolves from
   * `pkg`'s own directory, in a version its `peerDependencies` range accepts when it gives one.
   * An unknown package or feature is `false`. @throws {ScannerNotRefreshedError}
   */
  featuresSatisfied(pkg: string, feature: string): boolean {
    return this.#current().packages.get(pkg)?.features.get(feature) ?? false;
  }

  #current(): NodeScan {
    if (!this.#scan) throw new ScannerNotRefreshedError("NodePackageScanner");
    return this.#scan;
  }
}

// Node's lookup: `<dir>/node_modules` for the directory and each ancestor not itself named node_modules.
function nodeModulesChain(start: string): string[] {
  const chain: string[] = [];
  for (let directory = start; ; directory = dirname(directory)) {
    if (basename(directory) !== "node_modules") chain.push(join(directory, "node_modules"));
    if (dirname(directory) === directory) return chain;
  }
}

async function listPackageNames(modules: string): Promise<string[]> {
  const entries = await readdir(modules).catch(() => [] as string[]);
  const names: string[] = [];
  for (const entry of entries.sort()) {
    // .bin, .pnpm, .modules.yaml, .package-lock.json: not packages.
    if (entry.startsWith(".")) continue;
    if (!entry.startsWith("@")) {
      names.push(entry);
      continue;
    }
    const scoped = await readdir(join(modules, entry)).catch(() => [] as string[]);
    for (const child of scoped.sort()) if (!child.startsWith(".")) names.push(`${entry}/${child}`);
  }
  return names;
}

async function readJson(file: string): Promise<PackageJson | ScanProblem> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as PackageJson;
  } catch (error) {
    return {
      code: "SCANNER_CORRUPT_PACKAGE_JSON",
      path: file,
      message: `${file}: ${(error as Error).message}`,
    };
  }
}

async function readPackage(directory: string, name: string): Promise<NodePackage | ScanProblem> {
  const file = join(directory, "package.json");
  const manifest = await readJson(file);
  if ("code" in manifest) return manifest;
  if (typeof manifest.version !== "string") {
    return { code: "SCANNER_CORRUPT_PACKAGE_JSON", path: file, message: `${file}: has no version` };
  }
  const path = await realpath(directory);
  return { name, version: manifest.version, path, features: await resolveFeatures(path, manifest) };
}

async function resolveFeatures(path: string, manifest: PackageJson): Promise<Map<string, boolean>> {
  const declared = manifest.fabricatio?.features;
  const features = new Map<string, boolean>();
  if (typeof declared !== "object" || declared === null) return features;
  const peers = (manifest.peerDependencies ?? {}) as Record<string, unknown>;
  for (const [feature, dependencies] of Object.entries(declared)) {
    if (!Array.isArray(dependencies)) continue;
    let satisfied = true;
    for (const dependency of dependencies) {
      if (typeof dependency !== "string") continue;
      const version = await resolveVersion(path, dependency);
      const range = peers[dependency];
      satisfied &&=
        version !== undefined &&
        (typeof range !== "string" ||
          semver.validRange(range) === null ||
          semver.satisfies(version, range, { includePrerelease: true }));
    }
    features.set(feature, satisfied);
  }
  return features;
}

async function resolveVersion(from: string, dependency: string): Promise<string | undefined> {
  for (const modules of nodeModulesChain(from)) {
    const manifest = await readJson(join(modules, dependency, "package.json"));
    if (!("code" in manifest))
      return typeof manifest.version === "string" ? manifest.version : undefined;
  }
  return undefined;
}
