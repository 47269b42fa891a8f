import { describe, expect, it } from "vitest";
import { formatJsonLine, formatTextLine, type LogRecord } from "./format-line.js";

const time = new Date(2026, 0, 2, 3, 4, 5);
const record: LogRecord = {
  time: time.getTime(),
  levelName: "INFO",
  source: "thryd:router",
  message: "routing",
};

describe("formatTextLine", () => {
  it("writes the loguru-style line without colour", () => {
    expect(formatTextLine(record, false)).toBe("03:04:05 | INFO     | thryd:router - routing");
  });

  it("uses the original's colours: green time, red separators, level colour, cyan source", () => {
    expect(formatTextLine({ ...record, levelName: "ERROR" }, true)).toBe(
      "\x1b[32m03:04:05\x1b[0m \x1b[31m| \x1b[31m\x1b[1mERROR   \x1b[0m \x1b[31m| \x1b[36mthryd:router\x1b[0m \x1b[31m- \x1b[31m\x1b[1mrouting\x1b[0m",
    );
    expect(formatTextLine({ ...record, levelName: "WARN" }, true)).toContain(
      "\x1b[33m\x1b[1mWARN    ",
    );
    expect(formatTextLine({ ...record, levelName: "DEBUG" }, true)).toContain(
      "\x1b[34m\x1b[1mDEBUG   ",
    );
  });

  it("appends metadata as key=value pairs, quoting only what needs it", () => {
    const line = formatTextLine(
      {
        ...record,
        meta: { group: "openai", waitMs: 120, note: "two words", tags: ["a"], empty: "" },
      },
      false,
    );
    expect(line).toBe(
      '03:04:05 | INFO     | thryd:router - routing group=openai waitMs=120 note="two words" tags=["a"] empty=""',
    );
  });

  it("prints the stack of an Error logged as message or metadata", () => {
    const error = new Error("boom");
    const line = formatTextLine(
      { ...record, levelName: "ERROR", message: "boom", stack: error.stack },
      false,
    );
    expect(line.split("\n")[0]).toBe("03:04:05 | ERROR    | thryd:router - boom");
    expect(line).toContain("Error: boom\n    at ");
    const withMeta = formatTextLine({ ...record, meta: { cause: error } }, false);
    expect(withMeta.split("\n")[0]).toBe(
      '03:04:05 | INFO     | thryd:router - routing cause="boom"',
    );
    expect(withMeta).toContain("\n    at ");
  });
});

describe("formatJsonLine", () => {
  it("writes one JSON object with ISO time, level, source, message and metadata", () => {
    const parsed = JSON.parse(formatJsonLine({ ...record, meta: { count: 2n, ok: true } }));
    expect(parsed).toEqual({
      time: time.toISOString(),
      level: "INFO",
      source: "thryd:router",
      message: "routing",
      count: "2",
      ok: true,
    });
  });

  it("serialises errors with name, message and stack", () => {
    const parsed = JSON.parse(formatJsonLine({ ...record, meta: { error: new TypeError("bad") } }));
    expect(parsed.error.name).toBe("TypeError");
    expect(parsed.error.message).toBe("bad");
    expect(parsed.error.stack).toContain("TypeError: bad");
  });
});
