// Child process: the least any Node gateway does — a bare node:http server that forwards each
// chat completion to the mock with undici and relays the answer, with no validation, limits,
// logs, timeouts or cancellation. The floor the gateway row is read against.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";

const [mockUrl] = process.argv.slice(2);
const upstream = new URL(`${mockUrl}/chat/completions`);
const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", async () => {
    try {
      const answer = await agent.request({
        origin: upstream.origin,
        path: upstream.pathname,
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
        body: Buffer.concat(chunks),
      });
      const text = await answer.body.text();
      response.writeHead(answer.statusCode, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
      });
      response.end(text);
    } catch {
      response.writeHead(502).end();
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: "ready", url: `http://127.0.0.1:${port}`, pid: process.pid });
});
process.on("disconnect", () => {
  server.close();
  void agent.close().then(() => process.exit(0));
});
