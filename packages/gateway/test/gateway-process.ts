import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const script = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures/serve-gateway.mjs",
);

/** A gateway running in a child process. */
export interface GatewayProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  /** Sends SIGKILL if the process is still running (test clean-up). */
  kill(): Promise<void>;
}

/**
 * Starts `test/fixtures/serve-gateway.mjs` with these config overrides and waits for it to
 * print its URL.
 * @throws when it exits or prints nothing within `timeoutMs`
 */
export function startGatewayProcess(
  overrides: Record<string, unknown>,
  timeoutMs = 20_000,
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, GATEWAY_OVERRIDES: JSON.stringify(overrides), NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the gateway process did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += String(chunk);
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      output += String(chunk);
      const line = output.split("\n").find((entry) => entry.startsWith('{"url"'));
      if (!line) return;
      clearTimeout(timer);
      resolve({
        url: (JSON.parse(line) as { url: string }).url,
        child,
        output: () => output,
        exited,
        kill: async () => {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGKILL");
            await exited;
          }
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway process exited with ${code} before listening:\n${output}`));
    });
  });
}
