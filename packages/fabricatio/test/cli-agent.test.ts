import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type MockLlmServer, startMockLlm } from "@fabricatio/mock-llm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(packageDir, "dist/cli/main.js");
const everythingBin = path.join(packageDir, "node_modules/.bin/mcp-server-everything");
const project = mkdtempSync(path.join(tmpdir(), "fabricatio-cli-agent-"));
let mock: MockLlmServer;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: project,
      env: {
        PATH: process.env.PATH,
        HOME: project,
        XDG_CONFIG_HOME: path.join(project, "xdg"),
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

const lastBody = () => mock.requests.at(-1)?.body as Record<string, unknown>;

beforeAll(async () => {
  mock = await startMockLlm();
  writeFileSync(
    path.join(project, "fabricatio.toml"),
    [
      "[debug]",
      'log_level = "ERROR"',
      "[llm]",
      'send_to = "chat"',
      "[routing]",
      `providers = [{ ptype = "OpenAICompatible", name = "mock", key = "sk-agent", base_url = "${mock.url}" }]`,
      'completion_deployments = [{ id = "mock/a", group = "chat" }]',
      "[mcp.servers.everything]",
      `command = ${JSON.stringify(everythingBin)}`,
      'args = ["stdio"]',
    ].join("\n"),
  );
  writeFileSync(
    path.join(project, "book.schema.json"),
    JSON.stringify({
      type: "object",
      properties: { title: { type: "string" }, pages: { type: "integer" } },
      required: ["title", "pages"],
      additionalProperties: false,
    }),
  );
});

afterAll(async () => {
  await mock?.close();
  rmSync(project, { recursive: true, force: true });
});

beforeEach(() => mock.reset());

describe("fabricatio ask with conversations, structured output and tools", () => {
  it("sends --system before the question", async () => {
    const result = await run(["ask", "--system", "Be terse.", "Who are you?"]);
    expect(result).toMatchObject({ code: 0, stdout: "echo: Who are you?\n" });
    expect(lastBody().messages).toEqual([
      { role: "system", content: "Be terse." },
      { role: "user", content: "Who are you?" },
    ]);
  });

  it("asks for --json-schema as native structured output and prints the JSON", async () => {
    mock.script({ type: "ok", content: '{"title":"Dune","pages":412}' });
    const result = await run(["ask", "A famous book", "--json-schema", "book.schema.json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ title: "Dune", pages: 412 });
    expect(lastBody().response_format).toEqual({
      type: "json_schema",
      json_schema: {
        name: "answer",
        strict: true,
        schema: {
          type: "object",
          properties: { title: { type: "string" }, pages: { type: "integer" } },
          required: ["title", "pages"],
          additionalProperties: false,
        },
      },
    });
  });

  it("re-asks an answer that does not match the schema and fails after three", async () => {
    mock.setDefault({ type: "ok", content: '{"title":"Dune"}' });
    const result = await run(["ask", "A book", "--json-schema", "book.schema.json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error [FABRICATIO_VALIDATION_FAILED]");
    expect(mock.requestCount).toBe(3);
  });

  it("lets the model call an MCP server's tools with --mcp, printing each call to stderr", async () => {
    mock.script(
      { type: "ok", toolCalls: [{ id: "c1", name: "get-sum", arguments: '{"a":2,"b":3}' }] },
      { type: "ok", content: "It is 5." },
    );
    const result = await run(["ask", "What is 2 + 3?", "--mcp", "everything", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('tool get-sum {"a":2,"b":3} (mcp:everything)\n');
    expect(result.stderr).toContain("  returned: The sum of 2 and 3 is 5.\n");
    const printed = JSON.parse(result.stdout);
    expect(printed).toMatchObject({
      question: "What is 2 + 3?",
      answer: "It is 5.",
      steps: 2,
      toolCalls: [
        {
          step: 1,
          name: "get-sum",
          source: "mcp:everything",
          arguments: '{"a":2,"b":3}',
          result: "The sum of 2 and 3 is 5.",
          isError: false,
        },
      ],
    });
    expect(mock.requestCount).toBe(2);
  });

  it("exits 2 for an unknown --mcp server and for flags that cannot be combined", async () => {
    const unknown = await run(["ask", "hi", "--mcp", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown MCP server "nope"; configured: everything');
    const combined = await run(["ask", "hi", "--stream", "--json-schema", "book.schema.json"]);
    expect(combined.code).toBe(2);
    expect(combined.stderr).toContain("--stream and --json-schema cannot be combined");
    const steps = await run(["ask", "hi", "--max-steps", "3"]);
    expect(steps.code).toBe(2);
    expect(steps.stderr).toContain("--max-steps applies only with --mcp");
    expect(mock.requestCount).toBe(0);
  });

  it("exits 1 naming a --json-schema file that does not exist", async () => {
    const result = await run(["ask", "hi", "--json-schema", "missing.json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no such file: ${path.join(project, "missing.json")}`);
  });
});
