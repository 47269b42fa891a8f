import type { VersionSpecifier } from "./pep440.js";

/**
 * The PEP 508 marker environment of one Python interpreter, as `packaging.markers.default_environment()`
 * reports it.
 */
export interface MarkerEnvironment {
  readonly implementation_name: string;
  readonly implementation_version: string;
  readonly os_name: string;
  readonly platform_machine: string;
  readonly platform_release: string;
  readonly platform_system: string;
  readonly platform_version: string;
  readonly python_full_version: string;
  readonly platform_python_implementation: string;
  readonly python_version: string;
  readonly sys_platform: string;
}

/** A PEP 508 marker variable name, including `extra`. */
export type MarkerVariable = keyof MarkerEnvironment | "extra";

/** A marker operator: the PEP 440 comparisons plus `in` and `not in`. */
export type MarkerOperator = VersionSpecifier["operator"] | "in" | "not in";

/** One side of a marker comparison: an environment variable or a quoted string. */
export type MarkerValue =
  | { readonly kind: "variable"; readonly name: MarkerVariable }
  | { readonly kind: "string"; readonly value: string };

/** A parsed marker expression. */
export type Marker =
  | {
      readonly kind: "compare";
      readonly left: MarkerValue;
      readonly operator: MarkerOperator;
      readonly right: MarkerValue;
    }
  | { readonly kind: "and" | "or"; readonly left: Marker; readonly right: Marker };

/** A parsed PEP 508 dependency specification, such as `requests[socks]>=2.8; python_version>"3.8"`. */
export interface Requirement {
  /** The name as written. */
  readonly name: string;
  /** The name normalised per PEP 503. */
  readonly normalizedName: string;
  /** Requested extras, normalised per PEP 685. */
  readonly extras: readonly string[];
  /** Version clauses; empty when any version is accepted or a URL is given. */
  readonly specifiers: readonly VersionSpecifier[];
  /** The direct reference after `@`, if any. */
  readonly url?: string;
  /** The environment marker after `;`, if any. */
  readonly marker?: Marker;
}

/** A problem met while scanning that did not stop the scan, such as a corrupt `METADATA` file. */
export interface ScanProblem {
  /** Stable code, such as `SCANNER_CORRUPT_METADATA`. */
  readonly code: string;
  /** File or directory concerned. */
  readonly path: string;
  /** One-based line in `path`, when known. */
  readonly line?: number;
  /** Human-readable detail. */
  readonly message: string;
}

/** One installed package. */
export interface InstalledPackage {
  /** The name as the package declares it (`Name:` in METADATA, `name` in package.json). */
  readonly name: string;
  readonly version: string;
  /** The metadata directory (`*.dist-info`, `*.egg-info`) or package directory. */
  readonly path: string;
}
