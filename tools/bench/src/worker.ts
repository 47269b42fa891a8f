import { type ChildProcess, fork } from "node:child_process";

/** A child process spoken to over IPC, one request and one answer at a time. */
export interface Worker {
  readonly child: ChildProcess;
  /** The `ready` message the child sent. */
  readonly hello: Record<string, unknown>;
  request<T>(message: unknown): Promise<T>;
  /** Sends `exit` (or disconnects) and waits for the process to end. */
  stop(message?: unknown): Promise<void>;
}

function nextMessage(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`worker exited with code ${code} before answering`));
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

/**
 * Forks `module` and waits for its `ready` message.
 * @throws with the child's reason when it sends `error` instead
 */
export async function startWorker(
  module: string,
  args: readonly string[],
  execArgv: readonly string[] = [],
): Promise<Worker> {
  const child = fork(module, [...args], { execArgv: [...execArgv], stdio: "inherit" });
  const hello = await nextMessage(child);
  if (hello.type !== "ready") {
    child.kill();
    throw new Error(String(hello.reason ?? "worker failed to start"));
  }
  return {
    child,
    hello,
    async request<T>(message: unknown) {
      const answer = nextMessage(child);
      child.send(message as object);
      const reply = await answer;
      if (reply.type === "error") throw new Error(String(reply.reason));
      return reply as T;
    },
    stop(message?: unknown) {
      if (child.exitCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      if (message) child.send(message as object);
      else child.disconnect();
      return exited;
    },
  };
}
