import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@fabricatio/config";
import { flushLogger, initLogger, secretRegistry } from "@fabricatio/logger";
import { type MockLlmServer, startMockLlm } from "@fabricatio/mock-llm";
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLLM } from "../src/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, "../dist/cli/main.js");
const silentServer = path.resolve(here, "../../mcp-manager/test/fixtures/silent-server.mjs");
const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-cli-safety-"));
let mock: MockLlmServer;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: temp,
        XDG_CONFIG_HOME: path.join(temp, "xdg"),
        XDG_CACHE_HOME: path.join(temp, "cache"),
        NO_COLOR: "1",
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end("");
  });
}

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(temp, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

beforeAll(async () => {
  mock = await startMockLlm();
}, 30_000);
afterAll(async () => {
  await mock.close();
  rmSync(temp, { recursive: true, force: true });
});

describe("a canary key fed through every output path", () => {
  const KEY = "sk-canary-key-5f4e3d2c1b0a";
  const URL_SECRET = "canary-url-secret-77";
  const MCP_TOKEN = "canary-mcp-token-88";
  const HEADER = "canary-header-99";
  const REDIS_PASSWORD = "canary-redis-pw-66";
  const canaries = [KEY, URL_SECRET, MCP_TOKEN, HEADER, REDIS_PASSWORD];
  const echo = (status: number) => ({
    type: "error" as const,
    status,
    body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}` } }),
  });
  let dir: string;
  let logDir: string;

  beforeAll(() => {
    logDir = path.join(temp, "canary-logs");
    const base = new URL(mock.url);
    dir = project("canary", {
      "fabricatio.toml": [
        "[debug]",
        'log_level = "DEBUG"',
        `log_dir = ${JSON.stringify(logDir)}`,
        "[llm]",
        'send_to = "chat"',
        "[routing]",
        "tracing = true",
        "retry_max_retries = 1",
        "retry_initial_backoff_ms = 1",
        `redis_url = "redis://:${REDIS_PASSWORD}@127.0.0.1:6379/0"`,
        `cache_database_path = ${JSON.stringify(path.join(temp, "canary-cache.sqlite"))}`,
        "[[routing.providers]]",
        'ptype = "OpenAICompatible"',
        'name = "mock"',
        `key = "${KEY}"`,
        `base_url = "http://user:${URL_SECRET}@${base.host}/v1?api-key=${URL_SECRET}"`,
        "[[routing.completion_deployments]]",
        'id = "mock/gpt"',
        'group = "chat"',
        "[mcp.servers.github]",
        'command = "github-mcp-server"',
        `env = { GITHUB_TOKEN = "${MCP_TOKEN}" }`,
        "[mcp.servers.remote]",
        'type = "sse"',
        'url = "http://127.0.0.1:9/sse"',
        `headers = { Authorization = "Bearer ${HEADER}" }`,
      ].join("\n"),
    });
  });

  it("never shows it: error message, logs and span status in process", async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    trace.setGlobalTracerProvider(tracerProvider);
    const lines: string[] = [];
    initLogger({ level: "TRACE", stream: { write: (line: string) => lines.push(line) } });
    const config = loadConfig({ cwd: dir, env: {}, homeDir: temp });
    const llm = createLLM({ config, env: {}, cache: false });
    try {
      mock.script(echo(500), echo(401));
      const error = (await llm.ask("hello").catch((caught: unknown) => caught)) as Error;
      expect(error.message).toContain("Incorrect API key provided: ***");
      await flushLogger();
      const spans = exporter.getFinishedSpans();
      expect(spans.length).toBeGreaterThanOrEqual(2);
      const outputs = [
        error.message,
        String(error),
        JSON.stringify((error as { body?: string }).body ?? ""),
        ...spans.map((span) => span.status.message ?? ""),
        ...lines,
      ];
      expect(lines.join("")).toContain("retry");
      for (const canary of canaries) {
        for (const output of outputs) expect(output).not.toContain(canary);
      }
    } finally {
      await llm.close();
      trace.disable();
      await tracerProvider.shutdown();
      secretRegistry().clear();
    }
  }, 60_000);

  it("never shows it: CLI stderr, the log file and every form of `config`", async () => {
    mock.script(echo(500), echo(401));
    const asked = await run(["ask", "hello"], dir);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain("Incorrect API key provided: ***");
    const configs = await Promise.all([
      run(["config"], dir),
      run(["config", "--json"], dir),
      run(["config", "--sources"], dir),
      run(["config", "--sources", "--json"], dir),
    ]);
    for (const result of configs) expect(result.code).toBe(0);
    const logs = readdirSync(logDir)
      .map((file) => readFileSync(path.join(logDir, file), "utf8"))
      .join("");
    expect(logs).toContain("DEBUG");
    const outputs = [
      asked.stdout,
      asked.stderr,
      logs,
      ...configs.flatMap((r) => [r.stdout, r.stderr]),
    ];
    for (const canary of canaries) {
      for (const output of outputs) expect(output).not.toContain(canary);
    }
    expect(configs[0]?.stdout).toMatch(
      /^mcp\.servers\.github\.env\.GITHUB_TOKEN +"\*\*\*" +fabricatio\.toml$/m,
    );
    expect(configs[0]?.stdout).toMatch(/^routing\.providers\[0\]\.key +"SecretStr\(REDACTED\)" /m);
    expect(configs[1]?.stdout).toContain('"GITHUB_TOKEN": "***"');
    expect(configs[1]?.stdout).toContain("redis://***@127.0.0.1:6379/0");
  }, 60_000);
});

describe("bad numbers in flags", () => {
  let dir: string;
  beforeAll(() => {
    dir = project("flags", {
      "fabricatio.toml": [
        "[llm]",
        'send_to = "chat"',
        "[embedding]",
        'send_to = "embed"',
        "[routing]",
        `providers = [{ ptype = "OpenAICompatible", name = "mock", key = "sk-flags", base_url = "${mock.url}" }]`,
        'completion_deployments = [{ id = "mock/a", group = "chat" }]',
        'embedding_deployments = [{ id = "mock/e", group = "embed" }]',
        "[mcp.servers.changing]",
        `command = ${JSON.stringify(process.execPath)}`,
        `args = [${JSON.stringify(path.resolve(here, "../../mcp-manager/test/fixtures/changing-server.mjs"))}]`,
      ].join("\n"),
    });
  });

  it.each([
    [["ask", "x", "--temperature", "99"], '--temperature must be a number from 0 to 2, got "99"'],
    [
      ["ask", "x", "--timeout", "0"],
      '--timeout must be a number above 0 and at most 2147483, got "0"',
    ],
    [["embed", "x", "--ndim", "-3"], '--ndim must be a whole number of at least 1, got "-3"'],
    [["embed", "x", "--ndim", "1.5"], '--ndim must be a whole number of at least 1, got "1.5"'],
    [["rerank", "--query", "q", "d", "--timeout", "soon"], "--timeout must be a number above 0"],
    [
      ["mcp", "call", "changing", "grow", "--timeout-ms", "abc"],
      '--timeout-ms must be a whole number from 1 to 2147483647, got "abc"',
    ],
  ])(
    "%j is a usage error (exit 2) naming the flag and its range",
    async (args, message) => {
      const result = await run(args, dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    },
    30_000,
  );

  it("passes --timeout to the request as its time limit", async () => {
    mock.script({ type: "hang" });
    const started = performance.now();
    const result = await run(["ask", "slow question", "--timeout", "0.5", "--no-cache"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("timed out after 500 ms");
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 30_000);
});

describe("missing input files", () => {
  it("exit 1 from every subcommand", async () => {
    const dir = project("missing", {});
    const results = await Promise.all([
      run(["signify", "missing.json"], dir),
      run(["tex2typst", "missing.md"], dir),
      run(["stubgen", "schema", "missing.json", "--name", "f"], dir),
      run(["deck", "export", "missing-deck", "-o", "x.apkg"], dir),
    ]);
    expect(results.map((result) => result.code)).toEqual([1, 1, 1, 1]);
  }, 60_000);
});

describe("other tools' broken files", () => {
  it("leave --version working and fail a config read with one line naming the file", async () => {
    const dir = project("broken-package", { "package.json": '{ "fabricatio": { "llm": } }' });
    const version = await run(["--version"], dir);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    const config = await run(["config"], dir);
    expect(config.code).toBe(1);
    expect(config.stderr.trim().split("\n")).toEqual([
      expect.stringContaining(`error [CONFIG_PARSE_ERROR]: ${path.join(dir, "package.json")}:1:`),
    ]);
  }, 30_000);
});

describe("tex2typst on unconvertible math", () => {
  it("prints one line per formula, no stack trace", async () => {
    const dir = project("tex", {
      "notes.md": "a $$\\frac{x$$ b $\\begin{foo}y\\end{foo}$ c $x$\n",
    });
    const result = await run(["tex2typst", "notes.md"], dir);
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split("\n")).toHaveLength(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});

describe("signify input", () => {
  it("accepts a schema file that starts with a UTF-8 byte order mark", async () => {
    const dir = project("bom", {
      "schema.json": `\uFEFF${JSON.stringify({ type: "object", properties: { a: { type: "string" } } })}`,
    });
    const result = await run(["signify", "schema.json"], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("(*, a: Optional[str] = None)");
  }, 30_000);
});

describe("MCP failures", () => {
  it("are printed once", async () => {
    const dir = project("mcp-broken", {
      "fabricatio.toml": '[mcp.servers.broken]\ncommand = "no-such-mcp-server-binary"\n',
    });
    const result = await run(["mcp", "tools", "broken"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr.match(/Command not found: no-such-mcp-server-binary/g)).toHaveLength(1);
  }, 30_000);

  it.runIf(process.platform !== "win32")(
    "end a CLI run at the configured connect timeout, leaving no server process behind",
    async () => {
      const pidFile = path.join(temp, "wrapped.pid");
      const dir = project("mcp-wrapped", {
        "fabricatio.toml": [
          "[mcp]",
          "connect_timeout_s = 0.5",
          "[mcp.servers.wrapped]",
          'command = "sh"',
          `args = ["-c", ${JSON.stringify(`"${process.execPath}" "${silentServer}" "${pidFile}"; exit $?`)}]`,
        ].join("\n"),
      });
      const started = performance.now();
      const result = await run(["mcp", "tools", "wrapped"], dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("timed out after 500 ms");
      expect(performance.now() - started).toBeLessThan(20_000);
      expect(existsSync(pidFile)).toBe(true);
      const pid = Number(readFileSync(pidFile, "utf8"));
      await vi.waitFor(
        () => {
          expect(() => process.kill(pid, 0)).toThrow();
        },
        { timeout: 5_000 },
      );
    },
    60_000,
  );
});
