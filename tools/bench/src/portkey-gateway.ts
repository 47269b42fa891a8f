import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { freePort } from "@fabricatio/mock-llm";

/** A running Portkey gateway child process. */
export interface Gateway {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** The gateway's process id, to read its memory. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `@portkey-ai/gateway` through its own CLI (`start-server.js --port=N --headless`) and
 * waits until it answers. NODE_ENV=production skips its log console and start-up animation.
 * @throws when the gateway does not answer within `timeoutMs`
 */
export async function startPortkeyGateway(timeoutMs = 20_000): Promise<Gateway> {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("@portkey-ai/gateway/package.json");
  const cli = path.join(path.dirname(packageJson), "build", "start-server.js");
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [cli, `--port=${port}`, "--headless"], {
    env: { ...process.env, NODE_ENV: "production" },
    stdio: "ignore",
  });
  const origin = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with code ${child.exitCode}`);
    try {
      await fetch(`${origin}/`);
      return { origin, pid: child.pid, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await stop();
  throw new Error(`gateway did not answer within ${timeoutMs} ms`);
}
