import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { getLogger } from "@fabricatio/logger";
import { isScannerError, ScannerNotRefreshedError, ScanRootNotFoundError } from "./errors.js";
import type { InterpreterInfo } from "./interpreter.js";
import { queryInterpreter } from "./interpreter.js";
import { parseCoreMetadata, type RawRequirement, requiresTxtToRequiresDist } from "./metadata.js";
import { specifierSetContains } from "./pep440.js";
import { normalizeName } from "./pep503.js";
import { evaluateMarker, parseRequirement } from "./pep508.js";
import type {
  InstalledPackage,
  Marker,
  MarkerEnvironment,
  Requirement,
  ScanProblem,
} from "./types.js";

/** Options of {@link PythonPackageScanner}. */
export interface PythonPackageScannerOptions {
  /** The directory to scan. @default the interpreter's `sysconfig.get_paths()["purelib"]` */
  readonly sitePackages?: string;
  /** The interpreter asked for the default path and the marker environment. @default "python3", then "python" */
  readonly python?: string;
  /**
   * The marker environment requirements are evaluated in. When both this and `sitePackages` are
   * given, no interpreter is run. @default the interpreter's own
   */
  readonly environment?: MarkerEnvironment;
  /** Environment variables for the interpreter process. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

interface Distribution extends InstalledPackage {
  readonly normalizedName: string;
  readonly requiresDist: readonly RawRequirement[];
  readonly requirementsPath: string;
  readonly providesExtra: readonly string[];
  extras?: Map<string, Requirement[]>;
  readonly satisfied: Map<string, boolean>;
}

interface Scan {
  readonly sitePackages: string;
  readonly environment: MarkerEnvironment;
  readonly distributions: Map<string, Distribution>;
  readonly problems: ScanProblem[];
}

const logger = () => getLogger("scanner:python");
const METADATA_DIR = /\.(dist|egg)-info$/i;

/**
 * Indexes the distributions installed in one Python `site-packages` directory and answers, from
 * memory, whether a package or an optional extra of it is installed. Call {@link refresh} once
 * before querying, and again whenever the environment may have changed.
 */
export class PythonPackageScanner {
  readonly #options: PythonPackageScannerOptions;
  #interpreter?: Promise<InterpreterInfo>;
  #scan?: Scan;
  readonly #nameCache = new Map<string, string>();

  constructor(options: PythonPackageScannerOptions = {}) {
    this.#options = options;
  }

  /**
   * Rescans the directory: every `*.dist-info` and `*.egg-info` entry's name and version. Runs the
   * interpreter on the first call only, if `sitePackages` or `environment` was not given.
   * Unreadable or corrupt metadata is skipped and listed in {@link problems}.
   * @throws {InterpreterNotFoundError} when the interpreter is needed and cannot be started
   * @throws {InterpreterOutputError} when its answer is unusable
   * @throws {ScanRootNotFoundError} when the directory does not exist
   */
  async refresh(): Promise<this> {
    const { sitePackages, environment } = await this.#resolveSetup();
    const names = await listDirectory(sitePackages);
    const problems: ScanProblem[] = [];
    const found = await Promise.all(
      names
        .filter((name) => METADATA_DIR.test(name))
        .sort()
        .map((name) => readDistribution(join(sitePackages, name))),
    );
    const distributions = new Map<string, Distribution>();
    for (const distribution of found) {
      if ("code" in distribution) {
        problems.push(distribution);
        continue;
      }
      const existing = distributions.get(distribution.normalizedName);
      if (existing) {
        problems.push({
          code: "SCANNER_DUPLICATE_DISTRIBUTION",
          path: distribution.path,
          message: `${distribution.name} is also installed at ${existing.path}; keeping ${existing.version}`,
        });
        continue;
      }
      distributions.set(distribution.normalizedName, distribution);
    }
    for (const problem of problems) logger().warn(problem.message, { path: problem.path });
    logger().debug(`indexed ${distributions.size} distributions in ${sitePackages}`);
    this.#scan = { sitePackages, environment, distributions, problems };
    return this;
  }

  /** The scanned directory. @throws {ScannerNotRefreshedError} before the first refresh */
  get sitePackages(): string {
    return this.#current().sitePackages;
  }

  /** The marker environment in use. @throws {ScannerNotRefreshedError} before the first refresh */
  get environment(): MarkerEnvironment {
    return this.#current().environment;
  }

  /**
   * Problems met so far: corrupt or unreadable metadata found by the last refresh, and
   * `Requires-Dist` lines that failed to parse when their package was first queried.
   */
  get problems(): readonly ScanProblem[] {
    return this.#scan?.problems ?? [];
  }

  /** Every installed distribution, sorted by normalised name. @throws {ScannerNotRefreshedError} */
  listInstalled(): InstalledPackage[] {
    return [...this.#current().distributions.values()]
      .sort((left, right) => (left.normalizedName < right.normalizedName ? -1 : 1))
      .map(({ name, version, path }) => ({ name, version, path }));
  }

  /** Whether `name` (any PEP 503 spelling) is installed. @throws {ScannerNotRefreshedError} */
  isInstalled(name: string): boolean {
    return this.#find(name) !== undefined;
  }

  /** The installed version of `name`, or `undefined`. @throws {ScannerNotRefreshedError} */
  version(name: string): string | undefined {
    return this.#find(name)?.version;
  }

  /**
   * The extras `name` declares (`Provides-Extra` plus any named in a marker), PEP 685
   * normalised and sorted; empty for an unknown package. @throws {ScannerNotRefreshedError}
   */
  extras(name: string): string[] {
    const distribution = this.#find(name);
    return distribution ? [...this.#extrasOf(distribution).keys()].sort() : [];
  }

  /**
   * The requirements that installing `name[extra]` adds for this interpreter (markers evaluated),
   * or `undefined` for an unknown package or extra. @throws {ScannerNotRefreshedError}
   */
  extraRequirements(name: string, extra: string): readonly Requirement[] | undefined {
    const distribution = this.#find(name);
    return distribution && this.#extrasOf(distribution).get(normalizeName(extra));
  }

  /**
   * Whether every one of `extras` of package `name` is satisfied: each requirement the extra
   * adds for this interpreter is installed, in a version its PEP 440 specifier accepts, with its
   * own requested extras satisfied in turn. An unknown package or extra is `false`.
   * Results are cached until the next {@link refresh}.
   * @throws {ScannerNotRefreshedError}
   */
  extrasSatisfied(name: string, extras: Iterable<string>): boolean {
    for (const extra of extras) {
      if (!this.extraSatisfied(name, extra)) return false;
    }
    return true;
  }

  /** {@link extrasSatisfied} for one extra. @throws {ScannerNotRefreshedError} */
  extraSatisfied(name: string, extra: string): boolean {
    const distribution = this.#find(name);
    if (!distribution) return false;
    const cached = distribution.satisfied.get(extra);
    if (cached !== undefined) return cached;
    const result = this.#isSatisfied(distribution, normalizeName(extra), new Set());
    distribution.satisfied.set(extra, result);
    return result;
  }

  #isSatisfied(distribution: Distribution, extra: string, visiting: Set<string>): boolean {
    const requirements = this.#extrasOf(distribution).get(extra);
    if (!requirements) return false;
    const key = `${distribution.normalizedName}[${extra}]`;
    // A cycle (`a[x]` needing `a[x]`) adds nothing new: judge the rest.
    if (visiting.has(key)) return true;
    visiting.add(key);
    try {
      return requirements.every((requirement) => {
        const dependency = this.#current().distributions.get(requirement.normalizedName);
        return (
          dependency !== undefined &&
          specifierSetContains(requirement.specifiers, dependency.version) &&
          requirement.extras.every((nested) => this.#isSatisfied(dependency, nested, visiting))
        );
      });
    } finally {
      visiting.delete(key);
    }
  }

  #extrasOf(distribution: Distribution): Map<string, Requirement[]> {
    if (distribution.extras) return distribution.extras;
    const { environment, problems } = this.#current();
    const extras = new Map<string, Requirement[]>(
      distribution.providesExtra.map((extra) => [normalizeName(extra), []]),
    );
    for (const raw of distribution.requiresDist) {
      const requirement = this.#parse(distribution, raw, problems);
      if (!requirement?.marker) continue;
      const named = extraNames(requirement.marker);
      if (named.length === 0) continue;
      for (const extra of named) if (!extras.has(extra)) extras.set(extra, []);
      try {
        // A base requirement (true without any extra) is not something the extra adds.
        if (evaluateMarker(requirement.marker, environment, "")) continue;
        for (const [extra, list] of extras) {
          if (evaluateMarker(requirement.marker, environment, extra)) list.push(requirement);
        }
      } catch (error) {
        this.#report(problems, distribution, raw, error);
      }
    }
    distribution.extras = extras;
    return extras;
  }

  #parse(distribution: Distribution, raw: RawRequirement, problems: ScanProblem[]) {
    try {
      return parseRequirement(raw.text);
    } catch (error) {
      this.#report(problems, distribution, raw, error);
      return undefined;
    }
  }

  #report(
    problems: ScanProblem[],
    distribution: Distribution,
    raw: RawRequirement,
    error: unknown,
  ) {
    if (!isScannerError(error)) throw error;
    const problem: ScanProblem = {
      code: error.code,
      path: distribution.requirementsPath,
      line: raw.line,
      message: `${distribution.requirementsPath}:${raw.line}: ${error.message}`,
    };
    problems.push(problem);
    logger().warn(problem.message);
  }

  #find(name: string): Distribution | undefined {
    let normalized = this.#nameCache.get(name);
    if (normalized === undefined) {
      normalized = normalizeName(name);
      if (this.#nameCache.size < 10_000) this.#nameCache.set(name, normalized);
    }
    return this.#current().distributions.get(normalized);
  }

  #current(): Scan {
    if (!this.#scan) throw new ScannerNotRefreshedError("PythonPackageScanner");
    return this.#scan;
  }

  async #resolveSetup(): Promise<{ sitePackages: string; environment: MarkerEnvironment }> {
    const { sitePackages, environment, python, env } = this.#options;
    if (sitePackages !== undefined && environment !== undefined)
      return { sitePackages, environment };
    this.#interpreter ??= queryInterpreter({
      ...(python === undefined ? {} : { python }),
      ...(env === undefined ? {} : { env }),
    });
    const info = await this.#interpreter.catch((error: unknown) => {
      this.#interpreter = undefined;
      throw error;
    });
    return {
      sitePackages: sitePackages ?? info.purelib,
      environment: environment ?? info.environment,
    };
  }
}

function extraNames(marker: Marker): string[] {
  if (marker.kind !== "compare") return [...extraNames(marker.left), ...extraNames(marker.right)];
  const { left, right } = marker;
  if (left.kind === "variable" && left.name === "extra" && right.kind === "string") {
    return [normalizeName(right.value)];
  }
  if (right.kind === "variable" && right.name === "extra" && left.kind === "string") {
    return [normalizeName(left.value)];
  }
  return [];
}

async function listDirectory(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    throw new ScanRootNotFoundError(path, { cause: error });
  }
}

async function readDistribution(path: string): Promise<Distribution | ScanProblem> {
  const corrupt = (file: string, message: string): ScanProblem => ({
    code: "SCANNER_CORRUPT_METADATA",
    path: file,
    message: `${file}: ${message}`,
  });
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    return corrupt(path, `cannot be read (${(error as Error).message})`);
  }
  const isEgg = path.toLowerCase().endsWith(".egg-info");
  // A distutils-era `name-1.0.egg-info` may be a plain PKG-INFO file.
  const metadataFile = isDirectory ? join(path, isEgg ? "PKG-INFO" : "METADATA") : path;
  let text: string;
  try {
    text = await readFile(metadataFile, "utf8");
  } catch (error) {
    return corrupt(metadataFile, `cannot be read (${(error as Error).message})`);
  }
  const metadata = parseCoreMetadata(text);
  if (!metadata.name) return corrupt(metadataFile, "has no Name header");
  if (!metadata.version) return corrupt(metadataFile, "has no Version header");
  let requiresDist = metadata.requiresDist;
  let requirementsPath = metadataFile;
  if (isEgg && isDirectory && requiresDist.length === 0) {
    const requiresTxt = join(path, "requires.txt");
    const content = await readFile(requiresTxt, "utf8").catch(() => undefined);
    if (content !== undefined) {
      requiresDist = requiresTxtToRequiresDist(content);
      requirementsPath = requiresTxt;
    }
  }
  return {
    name: metadata.name,
    version: metadata.version,
    path,
    normalizedName: normalizeName(metadata.name),
    requiresDist,
    requirementsPath,
    providesExtra: metadata.providesExtra,
    satisfied: new Map(),
  };
}
