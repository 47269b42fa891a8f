// Child process of one contender: builds it, then runs loads on request over IPC.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { type ContenderName, type ContenderSetup, createContender } from "./contenders.js";
import { type LoadSize, runLoad } from "./run-load.js";

/** Messages from the harness to a client worker. */
export type ClientCommand =
  | { type: "run"; concurrency: number; size: LoadSize }
  /** A run under V8's CPU profiler (the one behind `--cpu-prof`), written to `file`. */
  | { type: "profile"; concurrency: number; size: LoadSize; file: string }
  | { type: "exit" };

const [name, setupJson] = process.argv.slice(2);
const send = (message: unknown) => process.send?.(message);
try {
  const contender = await createContender(
    name as ContenderName,
    JSON.parse(setupJson ?? "{}") as ContenderSetup,
  );
  // A first call proves the contender talks to the mock before any timing starts.
  await contender.call();
  process.on("message", async (command: ClientCommand) => {
    if (command.type === "exit") {
      await contender.close();
      process.exit(0);
    }
    try {
      if (command.type === "profile") {
        // Profiling only the measured run keeps start-up (module loading, connects) out of it.
        const session = new Session();
        session.connect();
        await session.post("Profiler.enable");
        await session.post("Profiler.setSamplingInterval", { interval: 200 });
        await session.post("Profiler.start");
        const result = await runLoad(contender.call, command.concurrency, command.size);
        const { profile } = await session.post("Profiler.stop");
        session.disconnect();
        writeFileSync(command.file, JSON.stringify(profile));
        send({ type: "result", result });
        return;
      }
      send({
        type: "result",
        result: await runLoad(contender.call, command.concurrency, command.size),
      });
    } catch (error) {
      send({ type: "error", reason: error instanceof Error ? error.message : String(error) });
    }
  });
  send({ type: "ready", rssBytes: process.memoryUsage().rss });
} catch (error) {
  send({ type: "error", reason: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
