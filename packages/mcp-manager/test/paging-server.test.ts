import { type ChildProcess, spawn } from "node:child_process";
import {
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { initLogger } from "@fabricatio/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { McpManager, McpRequestError, McpTimeoutError } from "../src/index.js";
import { packageDir } from "./servers.js";

// test/fixtures/paging-server.mjs: two items a page, and a count of every list request it answered.
const pagingServer = path.join(packageDir, "test/fixtures/paging-server.mjs");
const temp = mkdtempSync(path.join(tmpdir(), "mcp-paging-"));
// Waits for events the servers send; generous because every server is a Node process that
// loads the SDK, seconds apart under a full parallel `pnpm test` on two cores.
const WAIT = { timeout: 30_000, interval: 20 };

beforeAll(() => initLogger({ level: "CRITICAL", stream: { write() {} } }));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const paging = (env: Record<string, string> = {}) => ({
  command: process.execPath,
  args: [pagingServer],
  env,
});

function textOf(result: object): string {
  return (((result as { content?: unknown }).content ?? []) as { text?: string }[])
    .map((part) => part.text ?? "")
    .join("");
}

async function listCalls(manager: McpManager, id = "paging") {
  return JSON.parse(textOf(await manager.callTool(id, "list_calls"))) as {
    tools: number;
    resources: number;
    prompts: number;
    slept: number;
    cancelled: number;
  };
}

describe("pagination and the tool list cache", () => {
  let manager: McpManager;
  beforeAll(async () => {
    manager = await McpManager.create({ servers: { paging: paging() } });
  });
  afterAll(() => manager.close());

  it("follows every nextCursor of the tool list, then answers from the cache until the list changes", async () => {
    const names = (await manager.listTools("paging")).map((tool) => tool.name);
    expect(names).toEqual([
      "list_calls",
      "sleep",
      "cwd",
      "request_headers",
      "add_tool",
      "tool_1",
      "tool_2",
      "tool_3",
      "tool_4",
    ]);
    // Nine tools, two a page: five list requests.
    expect((await listCalls(manager)).tools).toBe(5);
    expect((await manager.listTools("paging")).map((tool) => tool.name)).toEqual(names);
    expect(await manager.hasTool("paging", "tool_4")).toBe(true);
    expect((await manager.getTool("paging", "cwd")).description).toBe("The working directory");
    expect((await manager.describeTool("paging", "sleep")).signature).toBe(
      "(*, ms: Optional[float] = None)",
    );
    expect((await listCalls(manager)).tools).toBe(5);

    expect(textOf(await manager.callTool("paging", "add_tool"))).toBe("added_9");
    await expect
      .poll(async () => (await manager.listTools("paging")).map((tool) => tool.name), WAIT)
      .toEqual([...names, "added_9"]);
    // Ten tools after the change: five more list requests, once.
    expect((await listCalls(manager)).tools).toBe(10);
  });

  it("follows every nextCursor of the resource and prompt lists, asking again each time", async () => {
    const before = await listCalls(manager);
    const resources = await manager.listResources("paging");
    expect(resources.map((resource) => resource.name)).toEqual([
      "resource_1",
      "resource_2",
      "resource_3",
      "resource_4",
      "resource_5",
    ]);
    const prompts = await manager.listPrompts("paging");
    expect(prompts.map((prompt) => prompt.name)).toEqual([
      "prompt_1",
      "prompt_2",
      "prompt_3",
      "prompt_4",
      "prompt_5",
    ]);
    await manager.listResources("paging");
    // Five items, two a page: three requests a listing, and these two lists are not cached.
    const after = await listCalls(manager);
    expect(after.resources - before.resources).toBe(6);
    expect(after.prompts - before.prompts).toBe(3);
    const read = await manager.readResource("paging", resources[4]!.uri);
    expect(read.contents).toEqual([
      { uri: "paging://resource/5", mimeType: "text/plain", text: "read paging://resource/5" },
    ]);
  });
});

describe("callTool options", () => {
  let manager: McpManager;
  beforeAll(async () => {
    manager = await McpManager.create({ servers: { paging: paging() } });
  });
  afterAll(() => manager.close());

  it("gives up after timeoutMs with McpTimeoutError, and the server sees the call cancelled", async () => {
    const before = (await listCalls(manager)).cancelled;
    const error = await manager
      .callTool("paging", "sleep", {}, { timeoutMs: 300 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpTimeoutError);
    expect(error).toMatchObject({
      code: "MCP_TIMEOUT",
      message: "tool sleep on paging timed out after 300 ms",
    });
    await expect.poll(async () => (await listCalls(manager)).cancelled, WAIT).toBe(before + 1);
  });

  it("waits past the SDK's short limits when timeoutMs allows it", async () => {
    expect(
      textOf(await manager.callTool("paging", "sleep", { ms: 200 }, { timeoutMs: 30_000 })),
    ).toBe("slept 200 ms");
  });

  it("stops a running call when its signal aborts, and the server sees it cancelled", async () => {
    const before = await listCalls(manager);
    const controller = new AbortController();
    const call = manager.callTool("paging", "sleep", {}, { signal: controller.signal });
    await expect.poll(async () => (await listCalls(manager)).slept, WAIT).toBe(before.slept + 1);
    controller.abort(new Error("the user pressed stop"));
    const error = await call.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpRequestError);
    expect(error).toMatchObject({
      code: "MCP_REQUEST_FAILED",
      message: "tool sleep on paging failed: the user pressed stop",
    });
    await expect
      .poll(async () => (await listCalls(manager)).cancelled, WAIT)
      .toBe(before.cancelled + 1);
  });

  it("does not send a call whose signal has already aborted", async () => {
    const before = await listCalls(manager);
    await expect(
      manager.callTool("paging", "sleep", {}, { signal: AbortSignal.abort(new Error("too late")) }),
    ).rejects.toMatchObject({ code: "MCP_REQUEST_FAILED", message: /too late/ });
    expect((await listCalls(manager)).slept).toBe(before.slept);
  });
});

describe("connectConcurrency", () => {
  function servers(log: string, count: number, barrier = 0) {
    writeFileSync(log, "");
    return Object.fromEntries(
      Array.from({ length: count }, (_, index) => {
        const name = `s${index + 1}`;
        return [
          name,
          paging({ PAGING_NAME: name, PAGING_LOG: log, PAGING_BARRIER: String(barrier) }),
        ];
      }),
    );
  }
  const events = (log: string) => readFileSync(log, "utf8").trim().split("\n");

  it("starts the next server only after the previous one answered, with connectConcurrency: 1", async () => {
    const log = path.join(temp, "one-at-a-time.log");
    await using manager = await McpManager.create({
      servers: servers(log, 3),
      connectConcurrency: 1,
    });
    expect(manager.serverList().sort()).toEqual(["s1", "s2", "s3"]);
    expect(events(log)).toEqual([
      "start s1",
      "answer s1",
      "start s2",
      "answer s2",
      "start s3",
      "answer s3",
    ]);
  });

  it("starts three servers at once by default, and a fourth only after one answered", async () => {
    const log = path.join(temp, "three-at-once.log");
    // Each server answers nothing until three have started: fewer at once could never connect.
    await using manager = await McpManager.create({ servers: servers(log, 4, 3) });
    expect(manager.failures()).toEqual(new Map());
    expect(manager.serverCount()).toBe(4);
    const lines = events(log);
    expect(lines.slice(0, 3).every((line) => line.startsWith("start "))).toBe(true);
    expect(lines.indexOf("start s4")).toBeGreaterThan(
      lines.findIndex((line) => line.startsWith("answer ")),
    );
  });
});

describe("stdio cwd", () => {
  it("resolves a relative command against cwd and runs the server there", async () => {
    const directory = mkdtempSync(path.join(temp, "cwd-"));
    symlinkSync(pagingServer, path.join(directory, "server.mjs"));
    await using manager = await McpManager.create({
      servers: { here: { command: "./server.mjs", cwd: directory } },
    });
    expect(manager.failures()).toEqual(new Map());
    expect(textOf(await manager.callTool("here", "cwd"))).toBe(realpathSync(directory));
  });
});

describe("HTTP headers", () => {
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    child = spawn(process.execPath, [pagingServer, "--http"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await new Promise<string>((resolve, reject) => {
      let seen = "";
      child.stdout?.on("data", (chunk) => {
        seen += String(chunk);
        const match = /listening on (\d+)/.exec(seen);
        if (match) resolve(match[1]!);
      });
      child.once("exit", (code) => reject(new Error(`paging server exited with ${code}`)));
    });
    url = `http://127.0.0.1:${port}/mcp`;
  });
  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill();
      await exited;
    }
  });

  it("sends the configured headers with every request of a stream server", async () => {
    await using manager = await McpManager.create({
      servers: {
        remote: {
          type: "stream",
          url,
          headers: { authorization: "Bearer test-token", "x-fabricatio-test": "header value" },
        },
      },
    });
    expect(manager.failures()).toEqual(new Map());
    const headers = JSON.parse(textOf(await manager.callTool("remote", "request_headers")));
    expect(headers).toMatchObject({
      authorization: "Bearer test-token",
      "x-fabricatio-test": "header value",
    });
    // Pagination works over HTTP as over stdio.
    expect(await manager.listTools("remote")).toHaveLength(9);
  });
});
