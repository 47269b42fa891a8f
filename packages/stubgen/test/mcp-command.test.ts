import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { initLogger } from "@fabricatio/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpDeclaration, stubMcp, verifyDeclaration } from "../src/index.js";
import { runStubgenCli } from "../src/stubgen-cli.js";
import { programDiagnostics } from "./typescript-oracle.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const changingServer = path.resolve(here, "../../mcp-manager/test/fixtures/changing-server.mjs");
const everything = path.resolve(here, "../../mcp-manager/node_modules/.bin/mcp-server-everything");
const temp = mkdtempSync(path.join(tmpdir(), "stubgen-mcp-"));
const configPath = path.join(temp, "fabricatio.toml");

beforeAll(() => {
  initLogger({ level: "CRITICAL", stream: { write() {} } });
  writeFileSync(
    configPath,
    [
      "[mcp.servers.changing]",
      `command = ${JSON.stringify(process.execPath)}`,
      `args = [${JSON.stringify(changingServer)}]`,
      "[mcp.servers.everything]",
      `command = ${JSON.stringify(everything)}`,
      'args = ["stdio"]',
    ].join("\n"),
  );
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("mcpDeclaration", () => {
  it("writes one callTool overload per tool, with TSDoc", () => {
    const text = mcpDeclaration([
      {
        server: "files",
        tools: [
          {
            name: "read",
            description: "Reads a file.",
            inputSchema: {
              type: "object",
              properties: { path: { type: "string", description: "Where" } },
              required: ["path"],
            },
          },
          { name: "ping", inputSchema: { type: "object" } },
        ],
      },
    ]);
    expect(text).toContain(
      'callTool(server: "files", name: "read", args: { path: string }, options?: CallToolOptions)',
    );
    expect(text).toContain(
      'callTool(server: "files", name: "ping", args?: Record<string, never>, options?: CallToolOptions)',
    );
    expect(text).toContain("   * Reads a file.");
    expect(text).toContain("   * @param args.path - Where (required)");
    expect(verifyDeclaration(path.join(here, "../dist/mcp-tools.d.ts"), text).diagnostics).toEqual(
      [],
    );
  });
});

describe("McpTools", () => {
  // The declaration and a program using it, side by side in dist/ so that
  // "@fabricatio/mcp-manager" resolves as it would in a user's project.
  const declarationFile = path.join(here, "../dist/mcp-tools.d.ts");
  const programFile = path.join(here, "../dist/use-mcp-tools.ts");
  const declaration = mcpDeclaration([
    {
      server: "files",
      tools: [
        {
          name: "read_text_file",
          description: "Reads a file as text.",
          inputSchema: {
            type: "object",
            properties: { path: { type: "string" }, head: { type: "number" } },
            required: ["path"],
          },
        },
        { name: "list_allowed_directories", inputSchema: { type: "object" } },
      ],
    },
  ]);
  const check = (...lines: string[]) =>
    programDiagnostics({
      [declarationFile]: declaration,
      [programFile]: [
        'import type { McpManager } from "@fabricatio/mcp-manager";',
        'import type { McpTools } from "./mcp-tools.js";',
        "declare const manager: McpManager;",
        "const tools = manager as McpTools;",
        ...lines,
      ].join("\n"),
    });

  it("accepts every call the tools' schemas allow", () => {
    expect(
      check(
        'await tools.callTool("files", "read_text_file", { path: "/notes/todo.md" });',
        'await tools.callTool("files", "read_text_file", { path: "a", head: 3 }, { timeoutMs: 5000 });',
        'await tools.callTool("files", "list_allowed_directories");',
        'await tools.listTools("files");',
      ),
    ).toEqual([]);
  });

  it("makes a wrong argument, tool name or server a compile error", () => {
    const wrong = [
      'await tools.callTool("files", "read_text_file", { path: 1 });',
      'await tools.callTool("files", "read_text_file", {});',
      'await tools.callTool("files", "read_text_file", { path: "a", extra: true });',
      'await tools.callTool("files", "write_file", { path: "a" });',
      'await tools.callTool("web", "read_text_file", { path: "a" });',
    ];
    // The same calls follow on the manager itself, where they compile unchecked: McpTools is
    // what checks them. One error per wrong line (lines 5 to 9), none after.
    const errors = check(...wrong, ...wrong.map((line) => line.replace("tools.", "manager.")));
    expect(errors.map((error) => error.split(" - ")[0]?.replace(/:\d+$/, ""))).toEqual(
      wrong.map((_line, index) => `use-mcp-tools.ts:${index + 5}`),
    );
    for (const error of errors) expect(error).toContain("No overload matches this call");
  });
});

describe("stubMcp against real servers", () => {
  it("types the tools of every configured server, and the result compiles", async () => {
    const text = await stubMcp({ configPath });
    expect(text).toContain('callTool(server: "changing", name: "grow"');
    expect(text).toContain(
      'callTool(server: "everything", name: "echo", args: { message: string }',
    );
    expect(verifyDeclaration(path.join(here, "../dist/mcp-tools.d.ts"), text).diagnostics).toEqual(
      [],
    );
  });

  it("runs from the CLI with --server and --out, and rejects an unknown server", async () => {
    const io = { out: "", err: "" };
    const cliIo = {
      stdout: (text: string) => {
        io.out += text;
      },
      stderr: (text: string) => {
        io.err += text;
      },
      cwd: temp,
    };
    expect(
      await runStubgenCli(
        ["mcp", "--config", "fabricatio.toml", "--server", "changing", "--out", "tools.d.ts"],
        cliIo,
      ),
    ).toBe(0);
    const written = readFileSync(path.join(temp, "tools.d.ts"), "utf8");
    expect(written).toContain('"grow"');
    expect(written).not.toContain('"everything"');
    expect(
      await runStubgenCli(["mcp", "--config", "fabricatio.toml", "--server", "ghost"], cliIo),
    ).toBe(2);
    expect(io.err).toContain('unknown MCP server "ghost"');
    expect(await runStubgenCli(["mcp", "--config", "missing.toml"], cliIo)).toBe(1);
  });
});
