import { spawn } from "node:child_process";

/** What a finished process left. */
export interface ProcessResult {
  /** Exit code; `null` when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether it was killed for running past `timeoutMs`. */
  readonly timedOut: boolean;
}

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The whole environment of the process (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** Longest run in ms; then the process group gets SIGKILL. */
  readonly timeoutMs: number;
}

/**
 * Runs a command in its own process group with stdin closed and collects its output. Past
 * `timeoutMs` the whole group is killed (a snippet may start MCP servers of its own), so a hung
 * snippet fails the check instead of hanging it.
 */
export function runProcess({
  command,
  args,
  cwd,
  env,
  timeoutMs,
}: RunProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      // Children the snippet left behind (a server it never closed) must not outlive the check.
      killGroup();
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}
