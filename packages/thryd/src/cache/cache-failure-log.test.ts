import type { Logger } from "@fabricatio/logger";
import { describe, expect, it } from "vitest";
import { CACHE_WARNING_INTERVAL_MS, CacheFailureLog } from "./cache-failure-log.js";

function recordingLogger() {
  const lines: [string, string][] = [];
  const record = (level: string) => (message: unknown) => {
    lines.push([level, typeof message === "function" ? message() : String(message)]);
  };
  const logger = {
    source: "test",
    trace: record("trace"),
    debug: record("debug"),
    info: record("info"),
    success: record("success"),
    warn: record("warn"),
    error: record("error"),
    critical: record("critical"),
    isLevelEnabled: () => true,
  } as Logger;
  return { logger, lines };
}

describe("CacheFailureLog", () => {
  it("warns on the first failure and sends repeats within the interval to debug", () => {
    const { logger, lines } = recordingLogger();
    let now = 0;
    const log = new CacheFailureLog(logger, () => now);
    for (let index = 0; index < 5; index++) {
      log.report("store", new Error("disk on fire"));
      now += 1_000;
    }
    expect(lines.map(([level]) => level)).toEqual(["warn", "debug", "debug", "debug", "debug"]);
    expect(lines[0]![1]).toBe(
      "Cache store failed: disk on fire; requests go on without this cache tier",
    );
  });

  it("warns again after the interval, counting the failures it kept quiet about", () => {
    const { logger, lines } = recordingLogger();
    let now = 0;
    const log = new CacheFailureLog(logger, () => now);
    log.report("store", new Error("down"));
    log.report("store", new Error("down"));
    log.report("store", new Error("down"));
    now = CACHE_WARNING_INTERVAL_MS;
    log.report("write", new Error("still down"));
    const warnings = lines.filter(([level]) => level === "warn").map(([, text]) => text);
    expect(warnings).toEqual([
      "Cache store failed: down; requests go on without this cache tier",
      "Cache write failed: still down (2 more cache failure(s) since the last warning)",
    ]);
  });
});
