import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { installCommand } from "./ensure-program.js";
import { REDIS_SERVER } from "./ensure-redis-server.js";
import { findOnPath } from "./find-on-path.js";
import { MissingServiceError } from "./missing-service-error.js";

/** A `redis-server` child process on a loopback port, with no persistence. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now, for a child server to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `redis-server` in a temp dir, on `port` or a free one, and resolves once it accepts
 * connections (at most 10 s). Never installs anything: the vitest global setup
 * `@fabricatio/test-services/redis-setup` does that once per run, before any test starts.
 * @throws {MissingServiceError} when `redis-server` is not on PATH, with the command that installs it
 */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  const binary = findOnPath(REDIS_SERVER.program);
  if (!binary) {
    throw new MissingServiceError(
      REDIS_SERVER.program,
      installCommand(REDIS_SERVER, {
        platform: process.platform,
        isRoot: process.getuid?.() === 0,
        hasApt: findOnPath("apt-get") !== undefined,
      }),
      "the test's vitest config lacks the global setup @fabricatio/test-services/redis-setup, which installs it",
    );
  }
  port ??= await freePort();
  const directory = mkdtempSync(path.join(tmpdir(), "fabricatio-redis-"));
  const child: ChildProcess = spawn(
    binary,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { cwd: directory, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start within 10 s:\n${output}`)),
      10_000,
    );
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code}:\n${output}`));
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += String(chunk);
    });
  });
  child.removeAllListeners("exit");
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
