import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type MockLlmServer, startMockLlm } from "@fabricatio/mock-llm";
import { get_encoding } from "tiktoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The bin users get: the committed shim that runs dist/cli/main.js.
const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(packageDir, "bin/fabricatio.js");
const changingServer = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../mcp-manager/test/fixtures/changing-server.mjs",
);
const pagingServer = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../mcp-manager/test/fixtures/paging-server.mjs",
);
const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-cli-"));
const project = path.join(temp, "project");
const broken = path.join(temp, "broken");
const plain = path.join(temp, "plain");
let mock: MockLlmServer;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  args: string[],
  { cwd = project, input }: { cwd?: string; input?: string } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: temp,
        XDG_CONFIG_HOME: path.join(temp, "xdg"),
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
    child.stdin.end(input ?? "");
  });
}

beforeAll(async () => {
  mock = await startMockLlm();
  mkdirSync(project, { recursive: true });
  mkdirSync(broken, { recursive: true });
  writeFileSync(
    path.join(project, "fabricatio.toml"),
    [
      "[debug]",
      'log_level = "ERROR"',
      "[llm]",
      'send_to = "chat"',
      "[embedding]",
      'send_to = "embed"',
      "ndim = 6",
      "[reranker]",
      'send_to = "rank"',
      "[routing]",
      `cache_database_path = ${JSON.stringify(path.join(temp, "cache.sqlite"))}`,
      `providers = [{ ptype = "OpenAICompatible", name = "mock", key = "sk-cli-secret", base_url = "${mock.url}" }]`,
      'completion_deployments = [{ id = "mock/a", group = "chat", rpm = 50 }, { id = "mock/b", group = "chat", rpm = 50 }]',
      'embedding_deployments = [{ id = "mock/e", group = "embed" }]',
      'reranker_deployments = [{ id = "mock/r", group = "rank" }]',
      "[mcp.servers.changing]",
      `command = ${JSON.stringify(process.execPath)}`,
      `args = [${JSON.stringify(changingServer)}]`,
      "[mcp.servers.paging]",
      `command = ${JSON.stringify(process.execPath)}`,
      `args = [${JSON.stringify(pagingServer)}]`,
      "[mcp.servers.broken]",
      'command = "no-such-mcp-server-binary"',
      "[ext.tool.mcp_servers.legacy]",
      `command = ${JSON.stringify(process.execPath)}`,
      `args = [${JSON.stringify(changingServer)}]`,
    ].join("\n"),
  );
  mkdirSync(plain, { recursive: true });
  writeFileSync(path.join(plain, "fabricatio.toml"), '[llm]\nsend_to = "chat"\n');
  writeFileSync(path.join(broken, "fabricatio.toml"), "[llm]\ntemperature = 9\n");
  writeFileSync(
    path.join(project, "click.json"),
    JSON.stringify({
      type: "object",
      properties: { element: { type: "string" }, doubleClick: { type: "boolean" } },
      required: ["element"],
    }),
  );
  writeFileSync(path.join(project, "bad.json"), "{ not json");
  const site = path.join(project, "site");
  mkdirSync(path.join(site, "demo_pkg-1.2.0.dist-info"), { recursive: true });
  writeFileSync(
    path.join(site, "demo_pkg-1.2.0.dist-info/METADATA"),
    'Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.2.0\nProvides-Extra: fast\nRequires-Dist: missing-dep>=1 ; extra == "fast"\n',
  );
}, 60_000);

afterAll(async () => {
  await mock.close();
  rmSync(temp, { recursive: true, force: true });
});

// Each test starts the built CLI a few times: about a second a start alone, but up to ten under a
// full parallel `pnpm test` on two cores shared with other work, hence the wide limit.
describe("fabricatio CLI", { timeout: 180_000 }, () => {
  it("prints help listing every subcommand, exit 0", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    for (const command of [
      "ask",
      "embed",
      "rerank",
      "tokens",
      "config",
      "signify",
      "scan",
      "stubgen",
    ]) {
      expect(result.stdout).toContain(command);
    }
  });

  it("asks, then answers the same question from the cache", async () => {
    const first = await run(["ask", "hello", "there"]);
    expect(first).toMatchObject({ code: 0, stdout: "echo: hello there\n" });
    const count = mock.requestCount;
    const second = await run(["ask", "hello", "there", "--json"]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      question: "hello there",
      answer: "echo: hello there",
    });
    expect(mock.requestCount).toBe(count);
  });

  it("reads the question from stdin with -, and streams", async () => {
    expect((await run(["ask", "-"], { input: "from stdin\n" })).stdout).toBe("echo: from stdin\n");
    expect((await run(["ask", "--stream", "--no-cache", "streamed"])).stdout).toBe(
      "echo: streamed\n",
    );
  });

  it("rejects bad usage with exit 2", async () => {
    const missing = await run(["ask"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument");
    const temperature = await run(["ask", "x", "--temperature", "hot"]);
    expect(temperature.code).toBe(2);
    expect(temperature.stderr).toContain('--temperature must be a number from 0 to 2, got "hot"');
    expect((await run(["nonsense"])).code).toBe(2);
    expect((await run(["rerank", "doc"])).code).toBe(2);
  });

  it("exits 1 naming the key, rule and file for an invalid config", async () => {
    const result = await run(["ask", "x"], { cwd: broken });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("CONFIG_VALIDATION_ERROR");
    expect(result.stderr).toContain("llm.temperature = 9: must be between 0 and 2");
    expect(result.stderr).toContain(path.join(broken, "fabricatio.toml"));
  });

  it("exits 1 when no completion group is configured", async () => {
    const empty = path.join(temp, "empty");
    mkdirSync(empty, { recursive: true });
    const result = await run(["ask", "x"], { cwd: empty });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("send_to is not specified");
  });

  it("embeds and reranks", async () => {
    const embedded = await run(["embed", "alpha", "beta", "--json"]);
    expect(embedded.code).toBe(0);
    const { embeddings } = JSON.parse(embedded.stdout) as { embeddings: number[][] };
    expect(embeddings).toHaveLength(2);
    expect(embeddings[0]).toHaveLength(6);
    const ranked = await run(["rerank", "--query", "cats", "dogs", "cats are great"]);
    expect(ranked.code).toBe(0);
    expect(ranked.stdout.split("\n")[0]).toMatch(/^\d\.\d{4}\t1\tcats are great$/);
  });

  it("answers with and without --no-cache when the cache cannot be opened, warning once", async () => {
    const blocker = path.join(temp, "blocker");
    writeFileSync(blocker, "a file where the cache folder should be");
    const junk = path.join(temp, "junk.sqlite");
    writeFileSync(junk, "this is not an sqlite database ".repeat(64));
    for (const [name, cachePath] of [
      ["not-a-database", junk],
      ["uncreatable-folder", path.join(blocker, "sub", "cache.sqlite")],
    ] as const) {
      const cwd = path.join(temp, `broken-cache-${name}`);
      mkdirSync(cwd, { recursive: true });
      writeFileSync(
        path.join(cwd, "fabricatio.toml"),
        [
          "[debug]",
          'log_level = "WARN"',
          "[llm]",
          'send_to = "chat"',
          "[routing]",
          `cache_database_path = ${JSON.stringify(cachePath)}`,
          `providers = [{ ptype = "OpenAICompatible", name = "mock", key = "sk-cli-secret", base_url = "${mock.url}" }]`,
          'completion_deployments = [{ id = "mock/a", group = "chat" }]',
        ].join("\n"),
      );
      // --no-cache skips the read but writes the fresh answer (the original's semantics), so both
      // runs try the store: each answers and warns once.
      for (const argv of [
        ["ask", "--no-cache", "no", "cache"],
        ["ask", "through", "the", "cache"],
      ]) {
        const result = await run(argv, { cwd });
        expect(result, name).toMatchObject({
          code: 0,
          stdout: `echo: ${argv
            .filter((word) => !word.startsWith("-"))
            .slice(1)
            .join(" ")}\n`,
        });
        expect(result.stderr.trim().split("\n"), name).toHaveLength(1);
        expect(result.stderr, name).toContain("thryd:cache");
      }
    }
  });

  it("counts tokens as tiktoken's o200k_base does, for English, CJK, code and emoji", async () => {
    const encoding = get_encoding("o200k_base");
    try {
      const english = "Fabricatio routes requests to LLMs.";
      expect((await run(["tokens", english])).stdout).toBe(
        `${encoding.encode_ordinary(english).length}\n`,
      );
      const mixed = [
        english,
        "日本語と中文のテキスト、한국어도。",
        'const answer = await llm.ask(question + "?"); // 42',
        "Ship it 🚀🎉 — déjà vu, naïve café 👩‍💻",
      ].join("\n");
      expect(JSON.parse((await run(["tokens", "-", "--json"], { input: mixed })).stdout)).toEqual({
        tokens: encoding.encode_ordinary(mixed).length,
        characters: mixed.length,
      });
    } finally {
      encoding.free();
    }
  });

  it("shows the config with sources and without secrets, and its schema", async () => {
    const sources = await run(["config", "--sources"]);
    expect(sources.code).toBe(0);
    expect(sources.stdout).toContain(
      `llm.send_to = "chat"\t(${path.join(project, "fabricatio.toml")})`,
    );
    const json = await run(["config", "--json"]);
    expect(json.stdout).not.toContain("sk-cli-secret");
    expect(json.stdout).toContain("SecretStr(REDACTED)");
    const schema = JSON.parse((await run(["config", "schema"])).stdout);
    expect(Object.keys(schema.properties)).toContain("routing");
  });

  it("prints a table of key, value and source by default, and the same JSON as before with --json", async () => {
    const table = await run(["config"]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^KEY +VALUE +SOURCE$/);
    expect(lines).toContainEqual(expect.stringMatching(/^llm\.send_to +"chat" +fabricatio\.toml$/));
    expect(lines.find((line) => line.startsWith("routing.providers[0].key "))).toMatch(
      /"SecretStr\(REDACTED\)" +fabricatio\.toml$/,
    );
    expect(lines.find((line) => line.startsWith("llm.stream "))).toMatch(/false +default$/);
    // Columns line up: every value starts where the header's VALUE does.
    const valueColumn = lines[0]!.indexOf("VALUE");
    for (const line of lines.slice(1)) expect(line.slice(valueColumn - 2, valueColumn)).toBe("  ");
    expect(table.stdout).not.toContain("sk-cli-secret");
    const json = await run(["config", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      llm: { send_to: "chat" },
      routing: { providers: [{ name: "mock", key: "SecretStr(REDACTED)" }] },
    });
  });

  it("says on stderr whether the answer cache is on and where, keeping stdout JSON", async () => {
    const on = await run(["config", "--json"]);
    expect(on.stderr).toContain(
      `answer cache: on, SQLite file ${path.join(temp, "cache.sqlite")} (routing.cache_database_path)`,
    );
    expect(() => JSON.parse(on.stdout)).not.toThrow();
    const off = await run(["config"], { cwd: plain });
    expect(off.code).toBe(0);
    expect(off.stderr).toContain(
      "answer cache: off: set routing.cache_database_path (a SQLite file) or routing.cache_store",
    );
  });

  it("signs a schema in Python and TypeScript, and rejects bad input", async () => {
    expect((await run(["signify", "click.json"])).stdout).toBe(
      "(*, element: str, double_click: Optional[bool] = None)\nArgs:\n    element: str (required)\n    double_click: Optional[bool]\n",
    );
    expect((await run(["signify", "click.json", "--lang", "ts"])).stdout).toContain(
      "(args: { element: string; doubleClick?: boolean })",
    );
    expect((await run(["signify", "bad.json"])).code).toBe(2);
    expect((await run(["signify", "click.json", "--lang", "rust"])).code).toBe(2);
  });

  it("scans a Python site-packages and node_modules", async () => {
    const list = await run(["scan", "python", "--site-packages", "site", "--json"]);
    expect(JSON.parse(list.stdout)).toEqual([{ name: "demo-pkg", version: "1.2.0" }]);
    expect(
      (await run(["scan", "python", "--site-packages", "site", "--installed", "Demo_Pkg"])).stdout,
    ).toBe("Demo_Pkg 1.2.0\n");
    expect(
      (await run(["scan", "python", "--site-packages", "site", "--extra", "demo-pkg:fast"])).stdout,
    ).toBe("demo-pkg[fast]: not satisfied\n");
    expect(
      (await run(["scan", "python", "--site-packages", "site", "--extra", "nocolon"])).code,
    ).toBe(2);
    const node = await run(["scan", "node", "--root", packageDir, "--json"]);
    expect(JSON.parse(node.stdout).map((pkg: { name: string }) => pkg.name)).toContain(
      "@fabricatio/thryd",
    );
  });

  it("converts TeX math in a file or stdin to Typst", async () => {
    writeFileSync(path.join(project, "notes.md"), "Area $\\pi r^2$ costs $5.\n");
    expect((await run(["tex2typst", "notes.md"])).stdout).toBe("Area  $pi r^2$  costs $5.\n");
    expect((await run(["tex2typst", "--tight"], { input: "$\\sqrt{x}$" })).stdout).toBe(
      "$sqrt(x)$",
    );
    expect((await run(["tex2typst", "missing.md"])).code).toBe(1);
  });

  it("lists MCP servers, their tools, and calls one", async () => {
    const servers = await run(["mcp", "servers"]);
    expect(servers.code).toBe(0);
    expect(servers.stdout).toContain("changing\tok");
    // The original's users keep MCP servers in [ext.tool] mcp_servers.
    expect(servers.stdout).toContain("legacy\tok");
    expect(servers.stdout).toMatch(/broken\tfailed: Command not found: no-such-mcp-server-binary/);
    const tools = await run(["mcp", "tools", "changing", "--json"]);
    expect(JSON.parse(tools.stdout)).toEqual([
      { name: "grow", description: "Adds a tool", signature: "()", doc: "" },
    ]);
    expect((await run(["mcp", "call", "changing", "grow"])).stdout).toBe("now 1 extra\n");
  });

  it("gives up on an MCP call after --timeout-ms, exit 1, and waits longer without it", async () => {
    // The paging server's sleep tool without `ms` runs until it is cancelled.
    const cut = await run(["mcp", "call", "paging", "sleep", "--timeout-ms", "300"]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain("MCP_TIMEOUT");
    expect(cut.stderr).toContain("tool sleep on paging timed out after 300 ms");
    const waited = await run(["mcp", "call", "paging", "sleep", "--args", '{"ms":500}']);
    expect(waited).toMatchObject({ code: 0, stdout: "slept 500 ms\n" });
  });

  it("rejects an unknown MCP server, a bad --args and a missing tool", async () => {
    const unknown = await run(["mcp", "tools", "ghost"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'unknown MCP server "ghost"; configured: changing, paging, broken, legacy',
    );
    expect((await run(["mcp", "call", "changing", "grow", "--args", "{oops"])).code).toBe(2);
    const missing = await run(["mcp", "call", "changing", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("MCP_TOOL_NOT_FOUND");
    expect((await run(["mcp", "tools", "broken"])).code).toBe(1);
  });

  it("creates a deck project and exports it, and names a bad row", async () => {
    const init = await run(["deck", "init", "cards", "--name", "Capitals"]);
    expect(init.code).toBe(0);
    const exported = await run(["deck", "export", "cards", "-o", "cards.apkg", "--json"]);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({
      deck: "Capitals",
      notes: 2,
      cards: 2,
      media: 0,
    });
    writeFileSync(path.join(project, "cards/data/basic_card.csv"), "Front,Back\nonly one\n");
    const bad = await run(["deck", "export", "cards", "-o", "bad.apkg"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("DECK_CSV_FIELD_COUNT");
    expect((await run(["deck", "export", "cards"])).code).toBe(2);
  });

  it("delegates to stubgen", async () => {
    const result = await run(["stubgen", "schema", "click.json", "--name", "click"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "export declare function click(args: { element: string; doubleClick?: boolean }): unknown;",
    );
    expect((await run(["stubgen", "bogus"])).code).toBe(2);
  });
});
