// Child process of one contender: builds it, then runs loads on request over IPC.
import { type ContenderName, type ContenderSetup, createContender } from "./contenders.js";
import { runLoad } from "./run-load.js";

/** Messages from the harness to a client worker. */
export type ClientCommand = { type: "run"; concurrency: number; total: number } | { type: "exit" };

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
      send({
        type: "result",
        result: await runLoad(contender.call, command.concurrency, command.total),
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
