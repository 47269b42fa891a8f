import { describe, expect, it } from "vitest";
import { InvalidLevelError, isLoggerError } from "./errors.js";
import { LEVEL_SEVERITY, LOG_LEVELS, parseLevel } from "./levels.js";

describe("parseLevel", () => {
  it("accepts every level in any case", () => {
    for (const level of LOG_LEVELS) {
      expect(parseLevel(level)).toBe(level);
      expect(parseLevel(level.toLowerCase())).toBe(level);
    }
    expect(parseLevel(" Debug ")).toBe("DEBUG");
  });

  it("treats WARNING as an alias of WARN", () => {
    expect(parseLevel("warning")).toBe("WARN");
    expect(parseLevel("WARNING")).toBe("WARN");
  });

  it("rejects an unknown name with an error listing the valid ones", () => {
    let caught: unknown;
    try {
      parseLevel("verbose");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidLevelError);
    expect(isLoggerError(caught)).toBe(true);
    const error = caught as InvalidLevelError;
    expect(error.code).toBe("LOGGER_INVALID_LEVEL");
    expect(error.level).toBe("verbose");
    expect(error.message).toBe(
      'Unknown log level "verbose"; valid levels are TRACE, DEBUG, INFO, SUCCESS, WARN, ERROR, CRITICAL, WARNING (any case)',
    );
  });

  it("orders severities from TRACE to CRITICAL", () => {
    const severities = LOG_LEVELS.map((level) => LEVEL_SEVERITY[level]);
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
    expect(new Set(severities).size).toBe(LOG_LEVELS.length);
  });
});
