import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { PassThrough } from "node:stream";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** How a {@link ProcessGroupStdioTransport} starts its server. */
export interface ProcessGroupStdioOptions {
  /** Absolute path of the executable. */
  command: string;
  args?: readonly string[];
  /** The whole environment of the child. */
  env: Record<string, string>;
  cwd?: string;
  /** How long `close` waits after closing stdin, then after SIGTERM, in ms. @default 2000 */
  closeGraceMs?: number;
}

const DEFAULT_CLOSE_GRACE_MS = 2_000;

/**
 * MCP over the stdin/stdout of a child process started in its own process group (POSIX).
 * `close` ends stdin, then signals the whole group (SIGTERM, then SIGKILL), so a server started
 * through a wrapper (`sh -c "node server.js"`) leaves no grandchild behind holding our pipes and
 * keeping the parent alive. The SDK's `StdioClientTransport` signals only the direct child.
 */
export class ProcessGroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #options: ProcessGroupStdioOptions;
  readonly #readBuffer = new ReadBuffer();
  // Created up front so a listener attached before `start` misses no early output.
  readonly #stderr = new PassThrough();
  #child: ChildProcess | undefined;

  constructor(options: ProcessGroupStdioOptions) {
    this.#options = options;
  }

  /** The child's stderr, available before `start`. */
  get stderr(): PassThrough {
    return this.#stderr;
  }

  /** The child's pid (also its process group id) once started. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): Promise<void> {
    if (this.#child) throw new Error("ProcessGroupStdioTransport already started");
    return new Promise((resolve, reject) => {
      const child = spawn(this.#options.command, [...(this.#options.args ?? [])], {
        env: this.#options.env,
        cwd: this.#options.cwd,
        stdio: ["pipe", "pipe", "pipe"],
        // Its own process group, so the whole tree can be signalled at once.
        detached: true,
        windowsHide: true,
      });
      this.#child = child;
      child.on("error", (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.on("spawn", () => resolve());
      child.on("close", () => {
        this.#child = undefined;
        this.onclose?.();
      });
      child.stdin?.on("error", (error) => this.onerror?.(error));
      child.stdout?.on("error", (error) => this.onerror?.(error));
      child.stdout?.on("data", (chunk: Buffer) => {
        this.#readBuffer.append(chunk);
        this.#drain();
      });
      child.stderr?.pipe(this.#stderr);
    });
  }

  #drain(): void {
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.#readBuffer.readMessage();
      } catch (error) {
        this.onerror?.(error as Error);
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#child?.stdin;
    if (!stdin || stdin.destroyed) return Promise.reject(new Error("Not connected"));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once("drain", resolve);
    });
  }

  /** Ends stdin, then SIGTERMs and finally SIGKILLs the whole process group until it is gone. */
  async close(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const graceMs = this.#options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    const closed = once(child, "close").then(() => true);
    const within = (ms: number) =>
      Promise.race([
        closed,
        new Promise<false>((resolve) => setTimeout(() => resolve(false), ms).unref()),
      ]);
    child.stdin?.end();
    if (!(await within(graceMs))) {
      signalGroup(child, "SIGTERM");
      if (!(await within(graceMs))) signalGroup(child, "SIGKILL");
    }
    // Whatever still holds our pipes (a grandchild that left the group) must not keep this
    // process alive: our ends go.
    if (child.exitCode === null && child.signalCode === null) await within(graceMs);
    // Members of the group that outlived the server (its own children) go too.
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // no member left
      }
    }
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
    this.#readBuffer.clear();
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already; the direct child may still be reachable alone.
    try {
      child.kill(signal);
    } catch {
      // gone as well
    }
  }
}
