import { describe, expect, it } from "vitest";
import { InvalidLevelError, InvalidLogDirectiveError } from "./errors.js";
import { LEVEL_SEVERITY } from "./levels.js";
import { parseLogDirectives, severityFor } from "./log-directives.js";

describe("parseLogDirectives", () => {
  it("reads a bare level as the level of every source", () => {
    const directives = parseLogDirectives("debug");
    expect(directives).toEqual({ defaultSeverity: LEVEL_SEVERITY.DEBUG, targets: [] });
    expect(severityFor(directives, "thryd:router")).toBe(LEVEL_SEVERITY.DEBUG);
  });

  it("applies the most specific target to a source and the bare level to the rest", () => {
    const directives = parseLogDirectives(
      "info, thryd=debug ,thryd:router=error,fabricatio:cache=trace",
    );
    expect(severityFor(directives, "thryd:cache")).toBe(LEVEL_SEVERITY.DEBUG);
    expect(severityFor(directives, "thryd:router")).toBe(LEVEL_SEVERITY.ERROR);
    expect(severityFor(directives, "thryd")).toBe(LEVEL_SEVERITY.DEBUG);
    expect(severityFor(directives, "fabricatio:cache")).toBe(LEVEL_SEVERITY.TRACE);
    expect(severityFor(directives, "fabricatio:llm")).toBe(LEVEL_SEVERITY.INFO);
  });

  it("matches targets at source boundaries, reads Rust's :: as : and off as silence", () => {
    const directives = parseLogDirectives("warn,thryd::router=off");
    expect(severityFor(directives, "thryd:router")).toBe(Number.POSITIVE_INFINITY);
    expect(severityFor(directives, "thryd:routerx")).toBe(LEVEL_SEVERITY.WARN);
  });

  it("defaults to INFO when only targets are given", () => {
    expect(severityFor(parseLogDirectives("thryd=trace"), "config:loader")).toBe(
      LEVEL_SEVERITY.INFO,
    );
  });

  it("names the directive with an unknown level, an empty target or a span filter", () => {
    expect(() => parseLogDirectives("info,thryd=loud")).toThrow(InvalidLogDirectiveError);
    expect(() => parseLogDirectives("info,thryd=loud")).toThrow(
      /Invalid log directive "thryd=loud": unknown level "loud"/,
    );
    expect(() => parseLogDirectives("=debug")).toThrow(/"=debug": the target is empty/);
    expect(() => parseLogDirectives("thryd[invoke]=debug")).toThrow(/span filters/);
  });

  it("rejects a bare word that is not a level instead of reading it as a target", () => {
    expect(() => parseLogDirectives("info,verbose")).toThrow(InvalidLevelError);
  });
});
