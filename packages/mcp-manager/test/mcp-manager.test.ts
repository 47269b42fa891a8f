import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { initLogger } from "@fabricatio/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ClientNotFoundError,
  CommandNotFoundError,
  isMcpError,
  McpManager,
  ServerExitedError,
  ServiceInitError,
  ServiceNotSupportedError,
  ToolNotFoundError,
} from "../src/index.js";
import { binDir, changingServer, childProcesses, startEverythingHttp } from "./servers.js";

const everything = path.join(binDir, "mcp-server-everything");
const filesystem = path.join(binDir, "mcp-server-filesystem");
const temp = mkdtempSync(path.join(tmpdir(), "mcp-manager-"));
const http: ChildProcess[] = [];
// Waits for what a server process does on its own (a notification, an exit): explicit and
// generous, because under a full parallel `pnpm test` on two cores a second is not enough.
const WAIT = { timeout: 30_000, interval: 20 };

beforeAll(() => initLogger({ level: "CRITICAL", stream: { write() {} } }));
afterAll(() => {
  for (const child of http) child.kill();
  rmSync(temp, { recursive: true, force: true });
});

function textOf(result: object): string {
  return (((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[])
    .filter((part) => part.type === "text")
    .map((part) => part.text)
    .join("");
}

describe("stdio: server-everything", () => {
  let manager: McpManager;
  beforeAll(async () => {
    // The command is looked up on PATH, as the original does with `which`.
    manager = await McpManager.create({
      servers: {
        everything: { command: "mcp-server-everything", args: ["stdio"], env: { DEBUG_LEVEL: 1 } },
      },
      env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}` },
    });
  });
  afterAll(() => manager.close());

  it("connects and lists the server", async () => {
    expect(manager.serverList()).toEqual(["everything"]);
    expect(manager.serverCount()).toBe(1);
    expect(manager.hasClient("everything")).toBe(true);
    expect(manager.failures().size).toBe(0);
    expect(await manager.ping("everything")).toBe(true);
  });

  it("lists, finds and calls tools", async () => {
    const tools = await manager.listTools("everything");
    expect(tools.map((tool) => tool.name)).toContain("echo");
    expect(await manager.hasTool("everything", "echo")).toBe(true);
    expect(await manager.hasTool("everything", "nope")).toBe(false);
    expect((await manager.getTool("everything", "echo")).inputSchema.type).toBe("object");
    await expect(manager.getTool("everything", "nope")).rejects.toBeInstanceOf(ToolNotFoundError);
    expect(textOf(await manager.callTool("everything", "echo", { message: "hi" }))).toContain("hi");
  });

  // Pagination itself is proven against test/fixtures/paging-server.mjs: this server sends one page.
  it("lists resources and reads one", async () => {
    const resources = await manager.listResources("everything");
    expect(resources.length).toBeGreaterThan(0);
    const read = await manager.readResource("everything", resources[0]!.uri);
    expect(read.contents.length).toBeGreaterThan(0);
  });

  it("lists and gets prompts", async () => {
    const prompts = await manager.listPrompts("everything");
    const simple = prompts.find((prompt) =>
      (prompt.arguments ?? []).every((argument) => !argument.required),
    );
    expect(simple).toBeDefined();
    const prompt = await manager.getPrompt("everything", simple!.name);
    expect(prompt.messages.length).toBeGreaterThan(0);
  });

  it("describes a tool as a Python and a TypeScript signature through signify", async () => {
    const python = await manager.describeTool("everything", "echo", { lang: "python" });
    expect(python.signature).toBe("(*, message: str)");
    expect(python.doc).toMatch(/^Args:\n {4}message: str: .* \(required\)$/);
    const ts = await manager.describeTool("everything", "echo", { lang: "ts" });
    expect(ts.signature).toBe("(args: { message: string })");
    expect(ts.doc).toContain("@param args.message");
  });
});

describe("stdio: server-filesystem on a temp dir", () => {
  it("writes, reads and lists a file through tools", async () => {
    await using manager = await McpManager.create({
      servers: { fs: { command: filesystem, args: [temp] } },
    });
    const names = (await manager.listTools("fs")).map((tool) => tool.name);
    await manager.callTool("fs", "write_file", {
      path: path.join(temp, "note.txt"),
      content: "written by mcp",
    });
    expect(readFileSync(path.join(temp, "note.txt"), "utf8")).toBe("written by mcp");
    writeFileSync(path.join(temp, "other.txt"), "from the test");
    const readTool = names.includes("read_text_file") ? "read_text_file" : "read_file";
    expect(
      textOf(await manager.callTool("fs", readTool, { path: path.join(temp, "other.txt") })),
    ).toContain("from the test");
    const listing = textOf(await manager.callTool("fs", "list_directory", { path: temp }));
    expect(listing).toContain("note.txt");
    expect(listing).toContain("other.txt");
  });
});

describe("HTTP transports of server-everything", () => {
  it.each([
    ["stream", "streamableHttp", "/mcp"],
    ["sse", "sse", "/sse"],
  ] as const)("connects over %s and calls a tool", async (type, mode, route) => {
    const { port, child } = await startEverythingHttp(mode);
    http.push(child);
    try {
      await using manager = await McpManager.create({
        servers: { remote: { type, url: `http://127.0.0.1:${port}${route}` } },
      });
      expect(manager.failures()).toEqual(new Map());
      expect(
        textOf(await manager.callTool("remote", "echo", { message: `over ${type}` })),
      ).toContain(`over ${type}`);
    } finally {
      child.kill();
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });
});

describe("failures, as the original and beyond", () => {
  it("keeps going when one server cannot start, and reports why", async () => {
    await using manager = await McpManager.create({
      servers: {
        missing: { command: "definitely-not-a-command-here", args: ["x"] },
        nocommand: { type: "stdio" },
        nourl: { type: "stream" },
        weird: { type: "carrier-pigeon", url: "http://127.0.0.1:1" },
        crashing: { command: process.execPath, args: ["-e", "process.exit(3)"] },
        good: { command: process.execPath, args: [changingServer] },
      },
    });
    expect(manager.serverList()).toEqual(["good"]);
    const failures = manager.failures();
    expect(failures.get("missing")).toBeInstanceOf(CommandNotFoundError);
    expect(failures.get("missing")?.message).toContain(
      "Command not found: definitely-not-a-command-here",
    );
    expect(failures.get("nocommand")).toBeInstanceOf(ServiceNotSupportedError);
    expect(failures.get("nourl")).toBeInstanceOf(ServiceNotSupportedError);
    expect(failures.get("weird")?.message).toContain('unknown transport type "carrier-pigeon"');
    expect(failures.get("crashing")).toBeInstanceOf(ServiceInitError);
    expect(isMcpError(failures.get("crashing"))).toBe(true);
  });

  it("names an unknown client", async () => {
    await using manager = await McpManager.create({ servers: {} });
    await expect(manager.ping("ghost")).rejects.toThrow(ClientNotFoundError);
    await expect(manager.listTools("ghost")).rejects.toThrow("Client ghost not found");
    await expect(manager.callTool("ghost", "x")).rejects.toHaveProperty(
      "code",
      "MCP_CLIENT_NOT_FOUND",
    );
  });
});

describe("tool list cache and server lifecycle", () => {
  // That the list is cached until this notification: paging-server.test.ts, which counts requests.
  it("lists a tool the server added at run time", async () => {
    await using manager = await McpManager.create({
      servers: { changing: { command: process.execPath, args: [changingServer] } },
    });
    expect((await manager.listTools("changing")).map((tool) => tool.name)).toEqual(["grow"]);
    await manager.callTool("changing", "grow");
    await expect
      .poll(async () => (await manager.listTools("changing")).map((tool) => tool.name), WAIT)
      .toEqual(["grow", "extra_1"]);
  });

  it("reports a stdio server that exits, and restarts it on next use with reconnect", async () => {
    const manager = await McpManager.create({
      servers: { changing: { command: process.execPath, args: [changingServer] } },
      reconnect: true,
    });
    const [pid] = childProcesses(changingServer);
    process.kill(pid!, "SIGKILL");
    await expect
      .poll(() => manager.failures().get("changing"), WAIT)
      .toBeInstanceOf(ServerExitedError);
    expect((await manager.listTools("changing")).map((tool) => tool.name)).toEqual(["grow"]);
    expect(childProcesses(changingServer)).toHaveLength(1);
    await manager.close();
  });

  it("fails a call to an exited server without reconnect", async () => {
    await using manager = await McpManager.create({
      servers: { changing: { command: process.execPath, args: [changingServer] } },
    });
    process.kill(childProcesses(changingServer)[0]!, "SIGKILL");
    await expect.poll(() => manager.failures().has("changing"), WAIT).toBe(true);
    await expect(manager.listTools("changing")).rejects.toBeInstanceOf(ServerExitedError);
  });

  it("leaves no child process behind after close", async () => {
    const manager = await McpManager.create({
      servers: {
        a: { command: process.execPath, args: [changingServer, "a"] },
        b: { command: everything, args: ["stdio"] },
        c: { command: filesystem, args: [temp] },
      },
    });
    expect(manager.serverCount()).toBe(3);
    expect(
      childProcesses(changingServer).length +
        childProcesses("server-everything").length +
        childProcesses("server-filesystem").length,
    ).toBe(3);
    await manager.close();
    expect(childProcesses(changingServer)).toEqual([]);
    expect(childProcesses("server-everything")).toEqual([]);
    expect(childProcesses("server-filesystem")).toEqual([]);
  });
});
