import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { flushLogger, initLogger } from "@fabricatio/logger";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  ConfigFileError,
  ConfigParseError,
  type ConfigValidationError,
  type LoadConfigOptions,
  loadConfig,
} from "../src/index.js";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const root = mkdtempSync(path.join(tmpdir(), "fabricatio-config-robust-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let cwd: string;
let home: string;
let counter = 0;

beforeEach(() => {
  counter += 1;
  cwd = path.join(root, `project-${counter}`);
  home = path.join(root, `home-${counter}`);
  mkdirSync(cwd, { recursive: true });
  mkdirSync(home, { recursive: true });
});

const write = (file: string, text: string) => writeFileSync(path.join(cwd, file), text);
const load = (options: LoadConfigOptions = {}) =>
  loadConfig({ cwd, env: {}, homeDir: home, platform: "linux", ...options });

function loadError(options: LoadConfigOptions = {}): unknown {
  try {
    load(options);
  } catch (error) {
    return error;
  }
  return undefined;
}

async function warningsOf(run: () => void): Promise<string> {
  const lines: string[] = [];
  initLogger({ stream: { write: (line: string) => lines.push(line) } });
  run();
  await flushLogger();
  return lines.join("");
}

describe("malformed files of other tools", () => {
  it("skips a malformed package.json without a Fabricatio section, with a warning naming it", async () => {
    write("package.json", '{ "name": "x", }');
    write("fabricatio.toml", "[llm]\ntemperature = 0.5\n");
    let temperature: number | undefined;
    const warnings = await warningsOf(() => {
      temperature = load().llm.temperature;
    });
    expect(temperature).toBe(0.5);
    expect(warnings).toContain(`Ignoring ${path.join(cwd, "package.json")}:1:`);
  });

  it("fails with a one-line error naming the file when the malformed file may hold our section", () => {
    write("package.json", '{ "fabricatio": { "llm": } }');
    const error = loadError();
    expect(error).toBeInstanceOf(ConfigParseError);
    expect((error as Error).message).toMatch(/package\.json:1:\d+: invalid JSON/);
    expect((error as Error).message).not.toContain("\n");
    write("package.json", "{}");
    write("pyproject.toml", "[tool.fabricatio\nllm = 1\n");
    expect((loadError() as ConfigParseError).file).toBe(path.join(cwd, "pyproject.toml"));
  });

  it("reads no file when the package is imported, so a broken package.json cannot break it", () => {
    write("package.json", "{ this is not json");
    const result = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `await import(${JSON.stringify(path.join(packageDir, "dist/index.js"))}); console.log("imported")`,
      ],
      { cwd, encoding: "utf8", timeout: 30_000 },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("imported");
  }, 30_000);

  it("accepts a UTF-8 byte order mark at the start of fabricatio.toml", () => {
    write("fabricatio.toml", "\uFEFF[llm]\ntemperature = 0.25\n");
    expect(load().llm.temperature).toBe(0.25);
  });
});

describe("a fabricatio.toml that is not a file", () => {
  it("is a clear error naming the path, not silently ignored", () => {
    mkdirSync(path.join(cwd, "fabricatio.toml"));
    const error = loadError();
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toBe(
      `${path.join(cwd, "fabricatio.toml")} is a directory, not a file`,
    );
  });
});

describe("unknown keys inside known tables", () => {
  it("are dropped with a warning that suggests the key meant", async () => {
    write(
      "fabricatio.toml",
      [
        "[llm]",
        "tempreature = 0.5",
        "[[routing.completion_deployments]]",
        'id = "openai/gpt"',
        'group = "chat"',
        "rpmm = 5",
        "[mcp.servers.fs]",
        'comand = "npx"',
        "[ext.anything]",
        "whatever = 1",
      ].join("\n"),
    );
    const warnings = await warningsOf(() => load());
    const file = path.join(cwd, "fabricatio.toml");
    expect(warnings).toContain(
      `Unknown configuration key llm.tempreature (from ${file}) is ignored; did you mean llm.temperature?`,
    );
    expect(warnings).toContain("Unknown configuration key routing.completion_deployments.0.rpmm");
    expect(warnings).toContain("did you mean routing.completion_deployments.0.rpm?");
    expect(warnings).toContain("did you mean mcp.servers.fs.command?");
    expect(warnings).not.toContain("ext.anything");
  });
});

describe("timeouts", () => {
  it("are read from [routing] and per provider, and must be positive", () => {
    write(
      "fabricatio.toml",
      [
        "[routing]",
        "request_timeout_s = 120",
        "stream_idle_timeout_s = 30",
        "retry_after_max_s = 10",
        "[[routing.providers]]",
        'ptype = "Dummy"',
        "request_timeout_s = 5",
        "stream_idle_timeout_s = 2.5",
      ].join("\n"),
    );
    const routing = load().routing;
    expect(routing).toMatchObject({
      request_timeout_s: 120,
      stream_idle_timeout_s: 30,
      retry_after_max_s: 10,
    });
    expect(routing.providers[0]).toMatchObject({
      request_timeout_s: 5,
      stream_idle_timeout_s: 2.5,
    });
    const error = loadError({ env: { FABRICATIO_ROUTING__REQUEST_TIMEOUT_S: "0" } });
    expect((error as ConfigValidationError).issues[0]).toMatchObject({
      path: "routing.request_timeout_s",
      rule: "must be a positive number (seconds)",
    });
  });
});

describe("loading many keys", () => {
  // Linear time is a benchmark target (`pnpm --filter @fabricatio/config bench`, BENCHMARKS.md),
  // not a timed test: this one checks that a table that large merges completely.
  it("merges 50,000 keys from two layers, keeping every key and the override", () => {
    const keys = 50_000;
    const lines = ["[ext.bench]"];
    for (let index = 0; index < keys; index += 1) lines.push(`k${index} = ${index}`);
    write("fabricatio.toml", lines.join("\n"));
    const config = load({ overrides: { ext: { bench: { k1: "override" } } } });
    const bench = config.ext().bench as Record<string, unknown>;
    expect(Object.keys(bench)).toHaveLength(keys);
    expect(bench.k1).toBe("override");
    expect(bench.k49999).toBe(49_999);
  }, 120_000);
});
