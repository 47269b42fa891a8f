import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import {
  flushLogger,
  getLogger,
  InvalidLevelError,
  InvalidRotationError,
  initLogger,
  initLoggerFromConfig,
  isLoggerInitialized,
  LogFileError,
  registerSecret,
  secretRegistry,
} from "../src/index.js";

const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-logger-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
afterEach(async () => {
  vi.useRealTimers();
  await flushLogger();
});

function memoryStream(isTTY = false) {
  const lines: string[] = [];
  return { lines, stream: { isTTY, write: (chunk: string) => lines.push(chunk) } };
}

describe("initLogger with a stream", () => {
  it("filters below the configured level and tags each line with its source", () => {
    const { lines, stream } = memoryStream();
    initLogger({ level: "success", stream });
    const logger = getLogger("config:loader");
    logger.info("hidden");
    logger.success("loaded");
    logger.warn("careful", { key: "llm.temperature" });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d \| SUCCESS {2}\| config:loader - loaded\n$/);
    expect(lines[1]).toMatch(/\| WARN {5}\| config:loader - careful key=llm\.temperature\n$/);
  });

  it("never builds a lazy message for a disabled level", () => {
    const { lines, stream } = memoryStream();
    initLogger({ level: "INFO", stream });
    const build = vi.fn(() => "expensive");
    getLogger("a:b").debug(build);
    expect(build).not.toHaveBeenCalled();
    getLogger("a:b").info(build);
    expect(build).toHaveBeenCalledOnce();
    expect(lines[0]).toContain("a:b - expensive");
  });

  it("colours a TTY, but not when NO_COLOR is set or colour is turned off", () => {
    const tty = memoryStream(true);
    initLogger({ stream: tty.stream, env: {} });
    getLogger("x").info("hi");
    expect(tty.lines[0]).toContain("\x1b[36mx\x1b[0m");
    const noColor = memoryStream(true);
    initLogger({ stream: noColor.stream, env: { NO_COLOR: "1" } });
    getLogger("x").info("hi");
    expect(noColor.lines[0]).not.toContain("\x1b[");
    const forcedOff = memoryStream(true);
    initLogger({ stream: forcedOff.stream, env: {}, colorize: false });
    getLogger("x").info("hi");
    expect(forcedOff.lines[0]).not.toContain("\x1b[");
  });

  it("replaces the previous logger on re-init without duplicating lines", () => {
    const first = memoryStream();
    const second = memoryStream();
    initLogger({ stream: first.stream });
    initLogger({ stream: second.stream });
    initLogger({ stream: second.stream });
    getLogger("x").info("once");
    expect(first.lines).toEqual([]);
    expect(second.lines).toHaveLength(1);
  });

  it("redacts registered secrets and URL credentials from every line, metadata and stacks included", async () => {
    const canary = "sk-canary-logger-0123456789";
    registerSecret(canary);
    try {
      const text = memoryStream();
      initLogger({ stream: text.stream, level: "debug" });
      const logger = getLogger("thryd:router");
      logger.debug(`Provider at https://user:${canary}@example.com/v1?api-key=${canary}`);
      logger.warn("retrying", { body: `{"error":"Incorrect API key provided: ${canary}"}` });
      logger.error(new Error(`upstream echoed ${canary}`));
      const json = memoryStream();
      initLogger({ stream: json.stream, format: "json" });
      logger.info("attempt failed", { error: new Error(`bad key ${canary}`) });
      const all = [...text.lines, ...json.lines].join("");
      expect(all).not.toContain(canary);
      expect(text.lines[0]).toContain("https://***@example.com/v1?api-key=***");
      expect(text.lines[1]).toContain("Incorrect API key provided: ***");
      expect(json.lines[0]).toContain("bad key ***");
    } finally {
      secretRegistry().clear();
    }
  });

  it("writes one JSON object per line in json format", () => {
    const { lines, stream } = memoryStream();
    initLogger({ stream, format: "json", level: "trace" });
    getLogger("thryd:cache").trace("miss", { key: "abc" });
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      level: "TRACE",
      source: "thryd:cache",
      message: "miss",
      key: "abc",
    });
  });

  it("reports whether a level is enabled, accepting aliases", () => {
    initLogger({ level: "warning", stream: memoryStream().stream });
    const logger = getLogger("x");
    expect(logger.isLevelEnabled("info")).toBe(false);
    expect(logger.isLevelEnabled("WARNING")).toBe(true);
    expect(logger.isLevelEnabled("critical")).toBe(true);
  });

  it("rejects an unknown level or rotation at init and keeps the previous logger", () => {
    const { lines, stream } = memoryStream();
    initLogger({ stream });
    expect(() => initLogger({ level: "loud" })).toThrow(InvalidLevelError);
    expect(() => initLogger({ rotation: "weekly" })).toThrow(InvalidRotationError);
    expect(() => initLogger({ rotation: "weekly" })).toThrow(
      'Unknown log rotation "weekly"; valid rotations are never, minutely, hourly, daily',
    );
    getLogger("x").info("still here");
    expect(lines).toHaveLength(1);
  });
});

describe("file sinks", () => {
  it("writes plain lines to <logDir>/<name>.log, creating the directory", async () => {
    const logDir = path.join(temp, "nested/dir");
    initLogger({ logDir, name: "app", colorize: true });
    getLogger("deck:export").error(new Error("disk full"));
    await flushLogger();
    const content = readFileSync(path.join(logDir, "app.log"), "utf8");
    expect(content).toMatch(
      /^\d\d:\d\d:\d\d \| ERROR {4}\| deck:export - disk full\nError: disk full\n {4}at /,
    );
    expect(content).not.toContain("\x1b[");
  });

  it("appends after a flush instead of losing lines", async () => {
    const logDir = path.join(temp, "append");
    initLogger({ logDir });
    getLogger("x").info("first");
    await flushLogger();
    getLogger("x").info("second");
    await flushLogger();
    const lines = readFileSync(path.join(logDir, "fabricatio.log"), "utf8").trim().split("\n");
    expect(lines.map((line) => line.split(" - ")[1])).toEqual(["first", "second"]);
  });

  it("rotates minutely into one file per minute", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(2026, 4, 6, 7, 8, 30));
    const logDir = path.join(temp, "rotating");
    initLogger({ logDir, rotation: "minutely", name: "rot" });
    getLogger("x").info("minute one");
    // The transport writes on a later turn of the event loop; let it land before the clock moves
    // (flushLogger would close this logger, and the rotation of a live one is what is tested).
    // Real time is not faked here: the limit is generous for a loaded machine, not the 1 s default.
    await vi.waitFor(
      () => {
        const [first] = readdirSync(logDir).filter((file) => file.startsWith("rot.log."));
        expect(readFileSync(path.join(logDir, first ?? "missing"), "utf8")).toContain("minute one");
      },
      { timeout: 30_000, interval: 10 },
    );
    vi.setSystemTime(new Date(2026, 4, 6, 7, 9, 10));
    getLogger("x").info("minute two");
    await flushLogger();
    const files = readdirSync(logDir)
      .filter((file) => file.startsWith("rot.log."))
      .sort();
    expect(files).toEqual(["rot.log.2026-05-06-07-08", "rot.log.2026-05-06-07-09"]);
    expect(readFileSync(path.join(logDir, files[0]!), "utf8")).toContain("minute one");
    expect(readFileSync(path.join(logDir, files[1]!), "utf8")).toContain("minute two");
  });

  it("fails at init, naming the path, when the directory cannot be created", () => {
    const blocker = path.join(temp, "not-a-dir");
    writeFileSync(blocker, "");
    expect(() => initLogger({ logDir: path.join(blocker, "logs") })).toThrow(LogFileError);
    expect(() => initLogger({ logDir: path.join(blocker, "logs") })).toThrow(
      path.join(blocker, "logs"),
    );
  });

  it.runIf(process.platform === "linux")(
    "fails at init instead of spinning when /proc refuses to create the directory",
    () => {
      // Node's recursive mkdirSync loops forever here; the test would time out on today's main.
      expect(() => initLogger({ logDir: "/proc/fabricatio-logs/nested" })).toThrow(LogFileError);
      expect(() => initLogger({ logDir: "/proc/fabricatio-logs/nested" })).toThrow(
        /refused to create \/proc\/fabricatio-logs although \/proc exists/,
      );
    },
    10_000,
  );

  it("fails at init when the log file cannot be opened", () => {
    if (process.getuid?.() === 0) {
      // root may write anywhere; a directory in place of the file cannot be opened by anyone.
      const logDir = path.join(temp, "dir-as-file");
      mkdirSync(path.join(logDir, "fabricatio.log"), { recursive: true });
      expect(() => initLogger({ logDir })).toThrow(LogFileError);
      return;
    }
    const logDir = path.join(temp, "readonly");
    mkdirSync(logDir);
    chmodSync(logDir, 0o500);
    expect(() => initLogger({ logDir })).toThrow(LogFileError);
  });

  it("reports that it has been initialised", () => {
    initLogger({ stream: memoryStream().stream });
    expect(isLoggerInitialized()).toBe(true);
  });

  it("takes the config's [debug] table", async () => {
    const logDir = path.join(temp, "from-config");
    initLoggerFromConfig({ log_level: "DEBUG", log_dir: logDir, rotation: null });
    getLogger("x").debug("visible");
    await flushLogger();
    expect(readFileSync(path.join(logDir, "fabricatio.log"), "utf8")).toContain(
      "| DEBUG    | x - visible",
    );
    expect(() => initLoggerFromConfig({ rotation: "fortnightly" })).toThrow(InvalidRotationError);
  });
});

describe("initLogger with per-source directives", () => {
  it('writes each source at its own level, as log_level = "info,thryd=debug,fabricatio:cache=trace"', () => {
    const { lines, stream } = memoryStream();
    initLogger({ level: "info,thryd=debug,fabricatio:cache=trace", stream });
    getLogger("thryd:router").debug("router detail");
    getLogger("thryd:router").trace("router noise");
    getLogger("fabricatio:cache").trace("cache detail");
    getLogger("config:loader").debug("config detail");
    getLogger("config:loader").info("config loaded");
    expect(lines.map((line) => line.split(" - ")[1]?.trim())).toEqual([
      "router detail",
      "cache detail",
      "config loaded",
    ]);
    expect(getLogger("fabricatio:cache").isLevelEnabled("trace")).toBe(true);
    expect(getLogger("fabricatio:llm").isLevelEnabled("debug")).toBe(false);
  });

  it("accepts directives from the [debug] table", () => {
    const { lines, stream } = memoryStream();
    initLoggerFromConfig({ log_level: "warn,config=debug" }, { stream });
    getLogger("config:loader").debug("shown");
    getLogger("thryd:router").info("hidden");
    expect(lines).toHaveLength(1);
  });
});
