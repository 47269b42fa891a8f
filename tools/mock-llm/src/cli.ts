#!/usr/bin/env node
import { parseArgs } from "node:util";
import { startMockLlm } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    "latency-ms": { type: "string", default: "0" },
  },
});
const port = Number(values.port);
const latencyMs = Number(values["latency-ms"]);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`mock-llm: invalid --port "${values.port}"\n`);
  process.exit(2);
}
const server = await startMockLlm({ port, host: values.host, record: false });
if (latencyMs > 0) server.setDefault({ type: "ok", latencyMs });
process.stdout.write(`mock-llm listening on ${server.url}\n`);
const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
