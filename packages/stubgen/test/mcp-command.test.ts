import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { initLogger } from "@fabricatio/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpDeclaration, stubMcp, verifyDeclaration } from "../src/index.js";
import { runStubgenCli } from "../src/stubgen-cli.js";

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
