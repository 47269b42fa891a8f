import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import {
  evaluateMarker,
  normalizeName,
  parseMarker,
  parseRequirement,
  parseSpecifierSet,
  RequirementSyntaxError,
  specifierSetContains,
} from "../src/index.js";
import type { MarkerEnvironment } from "../src/types.js";
import type { Verdict } from "./python-facts.js";

// The inputs are shared; every expected value comes from Python's packaging (global-setup.ts).
const corpus = JSON.parse(
  readFileSync(new URL("./fixtures/packaging-corpus.json", import.meta.url), "utf8"),
) as {
  environment: MarkerEnvironment;
  versions: string[];
  specifiers: string[];
  invalidSpecifiers: string[];
  markers: string[];
  extras: string[];
  requirements: string[];
  invalidRequirements: string[];
  names: string[];
};
const answers = inject("python").answers;

/** What our evaluation gives, in the shape of packaging's verdict. */
function ours(evaluate: () => boolean): Verdict<boolean> {
  try {
    return { value: evaluate() };
  } catch (error) {
    if (error instanceof RequirementSyntaxError) return { error: "raised" };
    throw error;
  }
}
/** packaging's verdict with the class of what it raised left out: we raise our own class. */
const shape = (verdict: Verdict<boolean>): Verdict<boolean> =>
  "error" in verdict ? { error: "raised" } : verdict;

it(`has packaging's answer for every corpus input (${answers.source})`, () => {
  expect(answers.specifiers.map((answer) => answer.text)).toEqual([
    ...corpus.specifiers,
    ...corpus.invalidSpecifiers,
  ]);
  expect(answers.markers.map((answer) => answer.marker)).toEqual(corpus.markers);
  expect(answers.requirements.map((answer) => answer.input)).toEqual([
    ...corpus.requirements,
    ...corpus.invalidRequirements,
  ]);
  expect(Object.keys(answers.names)).toEqual(corpus.names);
  // The corpus's "invalid" lists are what packaging rejects, and nothing else is.
  expect(answers.specifiers.filter((answer) => !answer.valid).map((answer) => answer.text)).toEqual(
    corpus.invalidSpecifiers,
  );
  expect(
    answers.requirements.filter((answer) => !answer.valid).map((answer) => answer.input),
  ).toEqual(corpus.invalidRequirements);
});

describe("PEP 440 specifier sets, as packaging", () => {
  it.each(answers.specifiers.map((answer) => [answer.text, answer] as const))(
    "%j",
    (text, answer) => {
      if (!answer.valid) {
        expect(() => parseSpecifierSet(text)).toThrow(RequirementSyntaxError);
        return;
      }
      const clauses = parseSpecifierSet(text);
      const contains = Object.fromEntries(
        corpus.versions.map((version) => [version, specifierSetContains(clauses, version)]),
      );
      expect(contains).toEqual(answer.contains);
    },
  );
});

describe("PEP 508 markers, as packaging evaluates them", () => {
  it.each(answers.markers.map((answer) => [answer.marker, answer] as const))(
    "%s",
    (text, answer) => {
      const marker = parseMarker(text);
      const results = Object.fromEntries(
        corpus.extras.map((extra) => [
          extra,
          ours(() => evaluateMarker(marker, corpus.environment, extra)),
        ]),
      );
      expect(results).toEqual(
        Object.fromEntries(Object.entries(answer.results).map(([extra, v]) => [extra, shape(v)])),
      );
    },
  );
});

describe("PEP 508 requirements, as packaging parses them", () => {
  it.each(answers.requirements.map((answer) => [answer.input, answer] as const))(
    "%j",
    (input, answer) => {
      if (!answer.valid) {
        expect(() => parseRequirement(input)).toThrow(RequirementSyntaxError);
        return;
      }
      const requirement = parseRequirement(input);
      const { marker } = requirement;
      expect({
        name: requirement.name,
        canonicalName: requirement.normalizedName,
        extras: [...requirement.extras].sort(),
        specifiers: requirement.specifiers
          .map((clause) => `${clause.operator}${clause.version}${clause.wildcard ? ".*" : ""}`)
          .sort(),
        url: requirement.url ?? null,
        // A parsed marker is compared by what it evaluates to for every corpus extra.
        marker:
          marker === undefined
            ? null
            : Object.fromEntries(
                corpus.extras.map((extra) => [
                  extra,
                  ours(() => evaluateMarker(marker, corpus.environment, extra)),
                ]),
              ),
      }).toEqual({
        name: answer.name,
        canonicalName: answer.canonicalName,
        extras: answer.extras,
        specifiers: answer.specifiers,
        url: answer.url,
        marker:
          answer.marker === null
            ? null
            : Object.fromEntries(
                Object.entries(answer.marker).map(([extra, v]) => [extra, shape(v)]),
              ),
      });
    },
  );
});

describe("PEP 503 names, as packaging's canonicalize_name", () => {
  it.each(Object.entries(answers.names))("%j → %j", (name, canonical) => {
    expect(normalizeName(name)).toBe(canonical);
  });
});
