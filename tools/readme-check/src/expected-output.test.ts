import { describe, expect, it } from "vitest";
import { expectedLines, firstMissingLine, lineMatches } from "./expected-output.js";

describe("expectedLines", () => {
  it("reads `prints:` comments at a line's end or alone, in TypeScript and shell", () => {
    const code = ['console.log("a"); // prints: a', "// prints: b  ", "x(); // a comment"].join(
      "\n",
    );
    expect(expectedLines(code, "//")).toEqual([
      { line: 1, text: "a" },
      { line: 2, text: "b" },
    ]);
    expect(expectedLines('echo 2 # prints: 2\nurl="http://x#y"', "#")).toEqual([
      { line: 1, text: "2" },
    ]);
  });
});

describe("lineMatches", () => {
  it("matches exactly, with … standing for any run of characters", () => {
    expect(lineMatches("echo: hi", "echo: hi")).toBe(true);
    expect(lineMatches("echo: hi", "echo: hi!")).toBe(false);
    expect(lineMatches("THRYD_RATE_LIMIT_EXCEEDED …", "THRYD_RATE_LIMIT_EXCEEDED 60999")).toBe(
      true,
    );
    expect(lineMatches("a.b (c)", "axb (c)")).toBe(false);
  });
});

describe("firstMissingLine", () => {
  it("wants the expected lines in order, other lines allowed between them", () => {
    const expected = [
      { line: 1, text: "one" },
      { line: 2, text: "three" },
    ];
    expect(firstMissingLine(expected, "one\ntwo\nthree\n")).toBeUndefined();
    expect(firstMissingLine(expected, "three\none\n")).toEqual({ line: 2, text: "three" });
  });

  it("does not let one printed line answer two expected lines", () => {
    const expected = [
      { line: 1, text: "same" },
      { line: 2, text: "same" },
    ];
    expect(firstMissingLine(expected, "same\n")).toEqual({ line: 2, text: "same" });
  });
});
