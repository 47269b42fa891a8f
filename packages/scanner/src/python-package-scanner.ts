import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { getLogger } from "@fabricatio/logger";
import { isScannerError, ScannerNotRefreshedError, ScanRootNotFoundError } from "./errors.js";
import type { InterpreterInfo } from "./interpreter.js";
import { queryInterpreter } from "./interpreter.js";
import { parseCoreMetadata, type RawRequirement, requiresTxtToRequiresDist } from "./metadata.js";
import { specifierSetContains } from "./pep440.js";
import { normalizeName } from "./pep503.js";
import { evaluateMarker, parseRequirement } from "./pep508.js";
import { sortedPackages } from "./sorted-packages.js";
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
const READ_BATCH = 100;
const HEADER_CHUNK_BYTES = 16_384;

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
    const found: (Distribution | ScanProblem)[] = [];
    const candidates = names.filter((name) => METADATA_DIR.test(name)).sort();
    // Synchronous reads in batches: 500 small files take ~5 ms this way against ~45 ms through
    // fs/promises' thread-pool round trips; yielding between batches keeps the event loop live.
    for (let start = 0; start < candidates.length; start += READ_BATCH) {
      if (start > 0) await new Promise<void>((resume) => setImmediate(resume));
      for (const name of candidates.slice(start, start + READ_BATCH)) {
        found.push(readDistribution(join(sitePackages, name)));
      }
    }
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
    return sortedPackages(this.#current().distributions.values(), (entry) => entry.normalizedName);
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
    // A lone string is iterable too: treat it as one extra, not as its characters.
    for (const extra of typeof extras === "string" ? [extras] : extras) {
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

function readDistribution(path: string): Distribution | ScanProblem {
  const corrupt = (file: string, message: string): ScanProblem => ({
    code: "SCANNER_CORRUPT_METADATA",
    path: file,
    message: `${file}: ${message}`,
  });
  const isEgg = path.toLowerCase().endsWith(".egg-info");
  let metadataFile = join(path, isEgg ? "PKG-INFO" : "METADATA");
  let text: string;
  try {
    text = readHeaderBlock(metadataFile);
  } catch (error) {
    // A distutils-era `name-1.0.egg-info` may be a plain PKG-INFO file.
    const isFile = (error as NodeJS.ErrnoException).code === "ENOTDIR";
    if (!isFile) return corrupt(metadataFile, `cannot be read (${(error as Error).message})`);
    metadataFile = path;
    try {
      text = readHeaderBlock(metadataFile);
    } catch (fileError) {
      return corrupt(metadataFile, `cannot be read (${(fileError as Error).message})`);
    }
  }
  const metadata = parseCoreMetadata(text);
  if (!metadata.name) return corrupt(metadataFile, "has no Name header");
  if (!metadata.version) return corrupt(metadataFile, "has no Version header");
  let requiresDist = metadata.requiresDist;
  let requirementsPath = metadataFile;
  if (isEgg && metadataFile !== path && requiresDist.length === 0) {
    const requiresTxt = join(path, "requires.txt");
    try {
      requiresDist = requiresTxtToRequiresDist(readFileSync(requiresTxt, "utf8"));
      requirementsPath = requiresTxt;
    } catch {
      // No requires.txt: the egg declares no requirements.
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

// Reads up to the first blank line (the end of the headers), not the long description after it.
function readHeaderBlock(file: string): string {
  const descriptor = openSync(file, "r");
  try {
    let buffer = Buffer.allocUnsafe(HEADER_CHUNK_BYTES);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(descriptor, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      const searchFrom = Math.max(0, length - 3);
      length += read;
      const window = buffer.subarray(searchFrom, length);
      if (window.includes("\n\n") || window.includes("\r\n\r\n")) break;
    }
    return buffer.toString("utf8", 0, length);
  } finally {
    closeSync(descriptor);
  }
}
