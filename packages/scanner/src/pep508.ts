import { RequirementSyntaxError } from "./errors.js";
import { parseSpecifierSet, specifierSetContains } from "./pep440.js";
import { normalizeName } from "./pep503.js";
import type {
  Marker,
  MarkerEnvironment,
  MarkerOperator,
  MarkerValue,
  MarkerVariable,
  Requirement,
} from "./types.js";

const NAME = /[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/y;
const WHITESPACE = /[ \t]*/y;
const VERSION_ONE = String.raw`(?:===|~=|==|!=|<=|>=|<|>)[ \t]*[^,;)\s]*`;
const SPECIFIER_RUN = new RegExp(`${VERSION_ONE}(?:[ \\t]*,[ \\t]*${VERSION_ONE})*`, "y");
const MARKER_OPERATOR =
  /(?:===|~=|==|!=|<=|>=|<|>|not[ \t]+in(?![A-Za-z0-9_])|in(?![A-Za-z0-9_]))/y;
const VARIABLE = /[A-Za-z_][A-Za-z0-9_.]*/y;
// A URL runs to the next whitespace, `;` included, as in packaging.
const URL = /[^ \t]+/y;

const VARIABLES: Readonly<Record<string, MarkerVariable>> = {
  implementation_name: "implementation_name",
  implementation_version: "implementation_version",
  os_name: "os_name",
  platform_machine: "platform_machine",
  platform_release: "platform_release",
  platform_system: "platform_system",
  platform_version: "platform_version",
  python_full_version: "python_full_version",
  platform_python_implementation: "platform_python_implementation",
  python_version: "python_version",
  sys_platform: "sys_platform",
  extra: "extra",
  // Legacy spellings still accepted by packaging.
  "os.name": "os_name",
  "sys.platform": "sys_platform",
  "platform.version": "platform_version",
  "platform.machine": "platform_machine",
  "platform.python_implementation": "platform_python_implementation",
  python_implementation: "platform_python_implementation",
};

// Markers on these variables compare as PEP 440 versions when the right side is a valid specifier.
const VERSION_VARIABLES = new Set<MarkerVariable>([
  "implementation_version",
  "platform_release",
  "python_full_version",
  "python_version",
]);

class Cursor {
  position = 0;
  constructor(readonly input: string) {}

  skipSpace(): void {
    this.position = this.match(WHITESPACE)!.length + this.position;
  }

  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.position;
    return pattern.exec(this.input)?.[0];
  }

  take(pattern: RegExp): string | undefined {
    const text = this.match(pattern);
    if (text !== undefined) this.position += text.length;
    return text;
  }

  takeLiteral(literal: string): boolean {
    if (!this.input.startsWith(literal, this.position)) return false;
    this.position += literal.length;
    return true;
  }

  atEnd(): boolean {
    return this.position >= this.input.length;
  }

  fail(detail: string): never {
    throw new RequirementSyntaxError(this.input, this.position, detail);
  }
}

/**
 * Parses one PEP 508 dependency specification (one `Requires-Dist` value).
 * @throws {RequirementSyntaxError} naming the text and column on any syntax or specifier error
 */
export function parseRequirement(text: string): Requirement {
  const cursor = new Cursor(text);
  cursor.skipSpace();
  const name = cursor.take(NAME) ?? cursor.fail("expected a package name");
  cursor.skipSpace();
  const extras = cursor.takeLiteral("[") ? parseExtras(cursor) : [];
  cursor.skipSpace();
  let url: string | undefined;
  let specifiers: Requirement["specifiers"] = [];
  if (cursor.takeLiteral("@")) {
    cursor.skipSpace();
    url = cursor.take(URL) ?? cursor.fail("expected a URL after @");
    const before = cursor.position;
    cursor.skipSpace();
    if (!cursor.atEnd() && cursor.position === before) cursor.fail("expected whitespace after URL");
  } else {
    const parenthesised = cursor.takeLiteral("(");
    cursor.skipSpace();
    const start = cursor.position;
    const run = cursor.take(SPECIFIER_RUN);
    if (run !== undefined) specifiers = parseSpecifiers(text, run, start);
    cursor.skipSpace();
    if (parenthesised && !cursor.takeLiteral(")")) cursor.fail("expected )");
    cursor.skipSpace();
  }
  let marker: Marker | undefined;
  if (cursor.takeLiteral(";")) {
    marker = parseOr(cursor);
    cursor.skipSpace();
  }
  if (!cursor.atEnd()) cursor.fail("unexpected text");
  return {
    name,
    normalizedName: normalizeName(name),
    extras,
    specifiers,
    ...(url === undefined ? {} : { url }),
    ...(marker === undefined ? {} : { marker }),
  };
}

/**
 * Parses a bare PEP 508 marker expression, such as `python_version >= "3.10" and extra == "rag"`.
 * @throws {RequirementSyntaxError} on any syntax error
 */
export function parseMarker(text: string): Marker {
  const cursor = new Cursor(text);
  const marker = parseOr(cursor);
  cursor.skipSpace();
  if (!cursor.atEnd()) cursor.fail("unexpected text after marker");
  return marker;
}

function parseSpecifiers(text: string, run: string, start: number): Requirement["specifiers"] {
  try {
    return parseSpecifierSet(run);
  } catch (error) {
    if (error instanceof RequirementSyntaxError) {
      throw new RequirementSyntaxError(text, start + error.position, error.message);
    }
    throw error;
  }
}

function parseExtras(cursor: Cursor): string[] {
  const extras: string[] = [];
  cursor.skipSpace();
  if (cursor.takeLiteral("]")) return extras;
  for (;;) {
    cursor.skipSpace();
    extras.push(normalizeName(cursor.take(NAME) ?? cursor.fail("expected an extra name")));
    cursor.skipSpace();
    if (cursor.takeLiteral("]")) return extras;
    if (!cursor.takeLiteral(",")) cursor.fail("expected , or ] in extras");
  }
}

function parseOr(cursor: Cursor): Marker {
  let left = parseAnd(cursor);
  while (takeKeyword(cursor, "or")) left = { kind: "or", left, right: parseAnd(cursor) };
  return left;
}

function parseAnd(cursor: Cursor): Marker {
  let left = parseAtom(cursor);
  while (takeKeyword(cursor, "and")) left = { kind: "and", left, right: parseAtom(cursor) };
  return left;
}

function takeKeyword(cursor: Cursor, keyword: string): boolean {
  cursor.skipSpace();
  const start = cursor.position;
  if (cursor.take(VARIABLE) === keyword) return true;
  cursor.position = start;
  return false;
}

function parseAtom(cursor: Cursor): Marker {
  cursor.skipSpace();
  if (cursor.takeLiteral("(")) {
    const inner = parseOr(cursor);
    cursor.skipSpace();
    if (!cursor.takeLiteral(")")) cursor.fail("expected ) to close the marker group");
    return inner;
  }
  const left = parseValue(cursor);
  cursor.skipSpace();
  const operatorText = cursor.take(MARKER_OPERATOR) ?? cursor.fail("expected a marker operator");
  const operator = (operatorText.startsWith("not") ? "not in" : operatorText) as MarkerOperator;
  const right = parseValue(cursor);
  return { kind: "compare", left, operator, right };
}

function parseValue(cursor: Cursor): MarkerValue {
  cursor.skipSpace();
  const quote = cursor.input[cursor.position];
  if (quote === '"' || quote === "'") {
    const end = cursor.input.indexOf(quote, cursor.position + 1);
    if (end === -1) cursor.fail("unterminated string");
    const value = cursor.input.slice(cursor.position + 1, end);
    cursor.position = end + 1;
    return { kind: "string", value };
  }
  const start = cursor.position;
  const word = cursor.take(VARIABLE);
  const name = word === undefined ? undefined : VARIABLES[word];
  if (name === undefined) {
    cursor.position = start;
    cursor.fail(
      word === undefined ? "expected a marker value" : `unknown marker variable "${word}"`,
    );
  }
  return { kind: "variable", name };
}

/**
 * Evaluates a marker in `environment`, with `extra` set to the given extra name (PEP 685
 * normalised; empty string for none), following the rules of `packaging.markers`.
 * @throws {RequirementSyntaxError} for a comparison packaging leaves undefined (`~=` on non-versions)
 */
export function evaluateMarker(
  marker: Marker,
  environment: MarkerEnvironment,
  extra = "",
): boolean {
  switch (marker.kind) {
    case "and":
      return (
        evaluateMarker(marker.left, environment, extra) &&
        evaluateMarker(marker.right, environment, extra)
      );
    case "or":
      return (
        evaluateMarker(marker.left, environment, extra) ||
        evaluateMarker(marker.right, environment, extra)
      );
    case "compare":
      return evaluateComparison(marker, environment, normalizeName(extra));
  }
}

function evaluateComparison(
  marker: Extract<Marker, { kind: "compare" }>,
  environment: MarkerEnvironment,
  extra: string,
): boolean {
  const { left, operator, right } = marker;
  const key =
    left.kind === "variable" ? left.name : right.kind === "variable" ? right.name : undefined;
  const resolve = (value: MarkerValue): string => {
    if (value.kind === "string") return key === "extra" ? normalizeName(value.value) : value.value;
    return value.name === "extra" ? extra : environment[value.name];
  };
  const leftValue = resolve(left);
  const rightValue = resolve(right);
  if (
    key !== undefined &&
    VERSION_VARIABLES.has(key) &&
    operator !== "in" &&
    operator !== "not in"
  ) {
    const specifiers = tryParseSpecifier(`${operator}${rightValue}`);
    if (specifiers) return specifierSetContains(specifiers, leftValue);
  }
  switch (operator) {
    case "in":
      return rightValue.includes(leftValue);
    case "not in":
      return !rightValue.includes(leftValue);
    case "==":
      return leftValue === rightValue;
    case "!=":
      return leftValue !== rightValue;
    // packaging 26 defines no ordering on plain strings: < and > never hold, <= and >= mean ==.
    case "<":
    case ">":
      return false;
    case "<=":
    case ">=":
      return leftValue === rightValue;
    default:
      throw new RequirementSyntaxError(
        `${leftValue} ${operator} ${rightValue}`,
        0,
        `operator ${operator} is undefined on values that are not versions`,
      );
  }
}

// Markers repeat the same few comparisons (`python_version >= "3.9"`) across a whole environment.
const specifierMemo = new Map<string, ReturnType<typeof parseSpecifierSet> | null>();
const SPECIFIER_MEMO_LIMIT = 1024;

function tryParseSpecifier(text: string): ReturnType<typeof parseSpecifierSet> | undefined {
  let parsed = specifierMemo.get(text);
  if (parsed === undefined) {
    try {
      parsed = text.includes(",") ? null : parseSpecifierSet(text);
    } catch {
      parsed = null;
    }
    if (specifierMemo.size < SPECIFIER_MEMO_LIMIT) specifierMemo.set(text, parsed);
  }
  return parsed ?? undefined;
}
