import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { flushLogger, initLogger } from "@fabricatio/logger";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_CONNECT_TIMEOUT_MS, McpManager } from "../src/index.js";
import { packageDir } from "./servers.js";

const silentServer = path.join(packageDir, "test/fixtures/silent-server.mjs");
const temp = mkdtempSync(path.join(tmpdir(), "mcp-timeouts-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the connect timeout", () => {
  it("defaults to 30 s", () => {
    expect(DEFAULT_CONNECT_TIMEOUT_MS).toBe(30_000);
  });

  it("applies to an SSE server that accepts the stream and never sends its endpoint", async () => {
    const streams = new Set<ServerResponse>();
    const server = createServer((request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.flushHeaders();
      streams.add(response);
      request.on("close", () => streams.delete(response));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as AddressInfo).port;
    try {
      const started = performance.now();
      const manager = await McpManager.create({
        servers: { mute: { type: "sse", url: `http://127.0.0.1:${port}/sse` } },
        connectTimeoutMs: 300,
        logFailures: false,
      });
      const elapsedMs = performance.now() - started;
      const failure = manager.failures().get("mute");
      expect(failure?.code).toBe("MCP_SERVICE_INIT");
      expect(failure?.message).toContain("timed out after 300 ms");
      expect(elapsedMs).toBeLessThan(5_000);
      await manager.close();
    } finally {
      for (const response of streams) response.destroy();
      server.close();
    }
  }, 30_000);

  it.runIf(process.platform !== "win32")(
    "stops a stdio server started through a wrapper with its whole process group",
    async () => {
      const pidFile = path.join(temp, "silent.pid");
      const started = performance.now();
      const manager = await McpManager.create({
        servers: {
          wrapped: {
            command: "sh",
            // `; exit` keeps sh from exec-ing node: the server really is a grandchild.
            args: ["-c", `"${process.execPath}" "${silentServer}" "${pidFile}"; exit $?`],
          },
        },
        connectTimeoutMs: 500,
        logFailures: false,
      });
      expect(manager.failures().get("wrapped")?.message).toContain("timed out after 500 ms");
      expect(existsSync(pidFile)).toBe(true);
      const serverPid = Number(readFileSync(pidFile, "utf8"));
      // The server ignores SIGTERM: only a SIGKILL of the group ends it, a few seconds later.
      await vi.waitFor(() => expect(isAlive(serverPid)).toBe(false), { timeout: 10_000 });
      expect(performance.now() - started).toBeLessThan(15_000);
      await manager.close();
    },
    30_000,
  );
});

describe("failure logging", () => {
  it("logs a failed server at ERROR unless the caller reports failures itself", async () => {
    const lines: string[] = [];
    initLogger({ stream: { write: (line: string) => lines.push(line) } });
    const missing = { command: path.join(temp, "no-such-server") };
    await (await McpManager.create({ servers: { missing } })).close();
    await (await McpManager.create({ servers: { missing }, logFailures: false })).close();
    await flushLogger();
    expect(
      lines.filter((line) => line.includes("MCP server missing is not available")),
    ).toHaveLength(1);
  });
});
