import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const binDir = path.join(packageDir, "node_modules/.bin");
export const changingServer = path.join(packageDir, "test/fixtures/changing-server.mjs");

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** Starts server-everything in an HTTP mode and resolves once it listens. */
export async function startEverythingHttp(
  mode: "streamableHttp" | "sse",
): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(path.join(binDir, "mcp-server-everything"), [mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server-everything ${mode} did not start`)),
      20_000,
    );
    let seen = "";
    child.stderr?.on("data", (chunk) => {
      seen += String(chunk);
      if (/listening|running/i.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) =>
      reject(new Error(`server-everything ${mode} exited with ${code}: ${seen}`)),
    );
  });
  return { port, child };
}

/** Pids of this process's children whose command line mentions `needle`, from /proc. */
export function childProcesses(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      if (parent === process.pid && state !== "Z" && commandLine.includes(needle))
        found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
