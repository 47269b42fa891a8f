// Child process holding the mock servers: one for throughput (no request log), one that records
// arrival times for the rate-limit measure.
import { startMockLlm } from "@fabricatio/mock-llm";

/** Messages from the harness to the mock worker. */
export type MockCommand =
  | { type: "latency"; latencyMs: number }
  | { type: "count" }
  | { type: "arrivals" }
  /** Every answer streams `content` with a pause between chunks: streams stay open. */
  | { type: "slow-streams"; content: string; chunkIntervalMs: number };

const bench = await startMockLlm({ record: false });
const recording = await startMockLlm({ record: true });
const send = (message: unknown) => process.send?.(message);
process.on("message", (command: MockCommand) => {
  switch (command.type) {
    case "latency":
      bench.setDefault({ type: "ok", latencyMs: command.latencyMs });
      recording.setDefault({ type: "ok", latencyMs: command.latencyMs });
      send({ type: "ok" });
      return;
    case "slow-streams":
      bench.setDefault({
        type: "ok",
        content: command.content,
        chunkIntervalMs: command.chunkIntervalMs,
      });
      send({ type: "ok" });
      return;
    case "count":
      send({ type: "count", count: bench.requestCount });
      return;
    case "arrivals":
      send({ type: "arrivals", arrivals: recording.requests.map((request) => request.receivedAt) });
      recording.reset();
      return;
  }
});
process.on("disconnect", () => {
  void Promise.all([bench.close(), recording.close()]).then(() => process.exit(0));
});
send({ type: "ready", benchUrl: bench.url, recordingUrl: recording.url });
