import { compare, explain as explainVersion } from "@renovatebot/pep440";
import { RequirementSyntaxError } from "./errors.js";

/** A PEP 440 comparison operator. */
export type SpecifierOperator = "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">" | "===";

/** One clause of a PEP 440 version specifier, such as `>=1.2` or `==1.*`. */
export interface VersionSpecifier {
  readonly operator: SpecifierOperator;
  /** The version text without the trailing `.*`. */
  readonly version: string;
  /** Whether the clause ends in `.*` (prefix match, `==` and `!=` only). */
  readonly wildcard: boolean;
}

// The shape explain() returns at run time; the package's typings declare post and dev as arrays.
interface Explained {
  readonly epoch: number;
  readonly release: readonly number[];
  readonly pre: readonly [string, number] | null;
  readonly post: number | null;
  readonly dev: number | null;
  readonly local: string | null;
  readonly public: string;
  readonly base_version: string;
  readonly is_prerelease: boolean;
  readonly is_postrelease: boolean;
}

function explain(version: string): Explained | null {
  return explainVersion(version) as unknown as Explained | null;
}

const CLAUSE = /^\s*(===|~=|==|!=|<=|>=|<|>)\s*(\S*?)\s*$/;
const PRE_IN_SEGMENT = /^([0-9]+)((?:a|b|c|rc)[0-9]+)$/;

/**
 * Parses a comma-separated PEP 440 specifier set (`>=1.0, !=1.3.*, <2`). An empty or blank
 * text is the empty set, which every version satisfies.
 * @throws {RequirementSyntaxError} when a clause is malformed or breaks a PEP 440 rule
 * (`.*` on an ordered operator, a local version on `>=`, `~=` with one release segment).
 */
export function parseSpecifierSet(text: string): VersionSpecifier[] {
  if (text.trim() === "") return [];
  const clauses: VersionSpecifier[] = [];
  let offset = 0;
  for (const clause of text.split(",")) {
    clauses.push(parseClause(text, clause, offset));
    offset += clause.length + 1;
  }
  return clauses;
}

function parseClause(text: string, clause: string, offset: number): VersionSpecifier {
  const fail = (detail: string): never => {
    throw new RequirementSyntaxError(text, offset, `${detail} in specifier "${clause.trim()}"`);
  };
  const match = CLAUSE.exec(clause);
  if (!match || match[2] === "") return fail("expected an operator and a version");
  const operator = match[1] as SpecifierOperator;
  let version = match[2]!;
  if (operator === "===") return { operator, version, wildcard: false };
  const wildcard = version.endsWith(".*");
  if (wildcard) version = version.slice(0, -2);
  const parsed = explain(version);
  if (!parsed) return fail(`"${version}" is not a PEP 440 version`);
  const isEquality = operator === "==" || operator === "!=";
  const isRelease = parsed.pre === null && parsed.post === null && parsed.dev === null;
  if (wildcard && (!isEquality || !isRelease || parsed.local !== null)) {
    return fail("a .* suffix is allowed only on == and != after a plain release");
  }
  if (parsed.local !== null && !isEquality)
    return fail("a local version is allowed only on == and !=");
  if (operator === "~=" && parsed.release.length < 2) {
    return fail("~= needs at least two release segments");
  }
  return { operator, version, wildcard };
}

/**
 * Whether an installed `version` satisfies every clause. Pre-releases are accepted, as pip does
 * for versions that are already installed. A version that is not valid PEP 440 satisfies only
 * `===` with the same text.
 */
export function specifierSetContains(
  specifiers: readonly VersionSpecifier[],
  version: string,
): boolean {
  return specifiers.every((specifier) => specifierContains(specifier, version));
}

function specifierContains(specifier: VersionSpecifier, version: string): boolean {
  const { operator } = specifier;
  if (operator === "===") return version.toLowerCase() === specifier.version.toLowerCase();
  const prospective = explain(version);
  if (!prospective) return false;
  switch (operator) {
    case "==":
      return isEqual(prospective, specifier);
    case "!=":
      return !isEqual(prospective, specifier);
    case "~=":
      return isCompatible(prospective.public, specifier.version);
    case "<=":
      return compare(prospective.public, specifier.version) <= 0;
    case ">=":
      return compare(prospective.public, specifier.version) >= 0;
    case "<":
      return isLessThan(version, prospective, specifier.version);
    case ">":
      return isGreaterThan(version, prospective, specifier.version);
  }
}

function isEqual(prospective: Explained, specifier: VersionSpecifier): boolean {
  if (specifier.wildcard) return prefixMatches(prospective.public, specifier.version);
  const spec = explain(specifier.version)!;
  // A specifier without a local segment ignores the candidate's local segment.
  const candidate = spec.local === null ? prospective.public : canonical(prospective);
  return compare(candidate, specifier.version) === 0;
}

function isCompatible(publicVersion: string, specVersion: string): boolean {
  const spec = explain(specVersion)!;
  const prefix = `${spec.epoch ? `${spec.epoch}!` : ""}${spec.release.slice(0, -1).join(".")}`;
  return compare(publicVersion, specVersion) >= 0 && prefixMatches(publicVersion, prefix);
}

// Exclusive ordering: `<V` excludes pre-releases of V (from V.dev0 on), unless V is one itself.
function isLessThan(version: string, prospective: Explained, specVersion: string): boolean {
  if (compare(version, specVersion) >= 0) return false;
  const spec = explain(specVersion)!;
  const earliestPrerelease = format({ ...spec, dev: 0, local: null });
  return !(
    !spec.is_prerelease &&
    prospective.is_prerelease &&
    compare(version, earliestPrerelease) >= 0
  );
}

// Exclusive ordering: `>V` excludes post-releases of V (unless V is one) and local versions of V.
function isGreaterThan(version: string, prospective: Explained, specVersion: string): boolean {
  if (compare(version, specVersion) <= 0) return false;
  const spec = explain(specVersion)!;
  const postBase = format({ ...prospective, post: null, dev: null, local: null });
  if (!spec.is_postrelease && prospective.is_postrelease && compare(postBase, specVersion) === 0) {
    return false;
  }
  return !(prospective.local !== null && compare(prospective.public, specVersion) === 0);
}

function format(version: Pick<Explained, "epoch" | "release" | "pre" | "post" | "dev" | "local">) {
  const { epoch, release, pre, post, dev, local } = version;
  return [
    epoch ? `${epoch}!` : "",
    release.join("."),
    pre ? `${pre[0]}${pre[1]}` : "",
    post === null ? "" : `.post${post}`,
    dev === null ? "" : `.dev${dev}`,
    local === null ? "" : `+${local}`,
  ].join("");
}

// Prefix matching as PEP 440 defines it: both sides split into segments, release padded with zeros.
function prefixMatches(publicVersion: string, prefixVersion: string): boolean {
  const spec = splitSegments(canonical(explain(prefixVersion)!));
  const candidate = splitSegments(publicVersion);
  const specRelease = leadingNumbers(spec);
  const candidateRelease = leadingNumbers(candidate);
  const padded = [
    ...candidate.slice(0, candidateRelease),
    ...Array<string>(Math.max(0, specRelease - candidateRelease)).fill("0"),
    ...candidate.slice(candidateRelease),
  ];
  return spec.every((segment, index) => padded[index] === segment);
}

function canonical(version: Explained): string {
  return version.local === null ? version.public : `${version.public}+${version.local}`;
}

function splitSegments(version: string): string[] {
  const bang = version.lastIndexOf("!");
  const segments = [bang === -1 ? "0" : version.slice(0, bang)];
  for (const item of version.slice(bang + 1).split(".")) {
    const match = PRE_IN_SEGMENT.exec(item);
    if (match) segments.push(match[1]!, match[2]!);
    else segments.push(item);
  }
  return segments;
}

function leadingNumbers(segments: readonly string[]): number {
  let count = 0;
  while (count < segments.length && /^[0-9]+$/.test(segments[count]!)) count += 1;
  return count;
}
