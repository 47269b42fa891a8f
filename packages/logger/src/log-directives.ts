import { InvalidLevelError, InvalidLogDirectiveError } from "./errors.js";
import { LEVEL_SEVERITY, LOG_LEVELS, parseLevel } from "./levels.js";

/** One `target=level` directive; `severity` is `Infinity` for `off`. */
export interface TargetDirective {
  /** A source or source prefix, `:`-separated (`thryd`, `thryd:router`). */
  readonly target: string;
  /** Lowest severity written for sources under `target` (see `LEVEL_SEVERITY`). */
  readonly severity: number;
}

/** A parsed `log_level` value: the level of every source, and the exceptions per target. */
export interface LogDirectives {
  /** Lowest severity written for a source no target directive matches. */
  readonly defaultSeverity: number;
  /** Target directives, longest target first, so the first match is the most specific. */
  readonly targets: readonly TargetDirective[];
}

const OFF = Number.POSITIVE_INFINITY;
const LEVEL_NAMES = [...LOG_LEVELS, "WARNING", "OFF"];

function severityOf(name: string, directive: string): number {
  if (name.trim().toUpperCase() === "OFF") return OFF;
  try {
    return LEVEL_SEVERITY[parseLevel(name)];
  } catch (error) {
    if (error instanceof InvalidLevelError) {
      throw new InvalidLogDirectiveError(directive, `unknown level "${name.trim()}"`, LEVEL_NAMES);
    }
    throw error;
  }
}

function isLevelName(name: string): boolean {
  return LEVEL_NAMES.includes(name.trim().toUpperCase());
}

/**
 * Parses a `log_level` in the syntax of tracing's `EnvFilter`, which the original accepts:
 * comma-separated directives, each a bare level (`info`, the default for every source) or
 * `target=level` (`thryd=debug`, `fabricatio:cache=trace`); `off` silences. Targets are source prefixes matched at `:` boundaries (`::` is read as
 * `:`); the longest matching target wins. A source no directive matches logs at the bare level,
 * `INFO` when there is none.
 * @throws {InvalidLevelError} for a bare word that is not a level
 * @throws {InvalidLogDirectiveError} naming the directive with an unknown level, an empty target or
 * span filter syntax (`target[span]=level`), which is not supported
 */
export function parseLogDirectives(spec: string): LogDirectives {
  let defaultSeverity = LEVEL_SEVERITY.INFO;
  const targets = new Map<string, number>();
  for (const raw of spec.split(",")) {
    const directive = raw.trim();
    if (directive === "") continue;
    if (/[[\]{}]/.test(directive)) {
      throw new InvalidLogDirectiveError(directive, "span filters are not supported", LEVEL_NAMES);
    }
    const equals = directive.indexOf("=");
    if (equals === -1) {
      // EnvFilter reads a bare word as a target at every level; here it must be a level, so a
      // misspelt level fails instead of silently changing nothing.
      if (!isLevelName(directive)) throw new InvalidLevelError(directive, LEVEL_NAMES);
      defaultSeverity = severityOf(directive, directive);
      continue;
    }
    const target = directive.slice(0, equals).trim().replaceAll("::", ":");
    if (target === "") {
      throw new InvalidLogDirectiveError(directive, "the target is empty", LEVEL_NAMES);
    }
    targets.set(target, severityOf(directive.slice(equals + 1), directive));
  }
  return {
    defaultSeverity,
    targets: [...targets]
      .map(([target, severity]) => ({ target, severity }))
      .sort((left, right) => right.target.length - left.target.length),
  };
}

/** The lowest severity `source` writes at under `directives`. */
export function severityFor(directives: LogDirectives, source: string): number {
  for (const { target, severity } of directives.targets) {
    if (source === target || source.startsWith(`${target}:`)) return severity;
  }
  return directives.defaultSeverity;
}

/** The lowest severity any source writes at: what the sink itself must let through. */
export function lowestSeverity(directives: LogDirectives): number {
  return Math.min(
    directives.defaultSeverity,
    ...directives.targets.map((directive) => directive.severity),
  );
}
