// One HTTP server per process for bench/framework.mjs: `node:http` or Fastify, both answering
// POST /v1/chat/completions with the same work — parse the JSON body, build a chat.completion
// object, serialise it.
import { createServer } from "node:http";

const [kind] = process.argv.slice(2);

function answer(body) {
  const content = `echo: ${body.messages.at(-1).content}`;
  return {
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 0,
    model: body.model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
  };
}

let port;
if (kind === "node-http") {
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        response.writeHead(400).end();
        return;
      }
      const text = JSON.stringify(answer(body));
      response.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(text),
      });
      response.end(text);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = server.address().port;
} else {
  const { default: Fastify } = await import("fastify");
  const app = Fastify({ logger: false });
  app.post("/v1/chat/completions", async (request) => answer(request.body));
  await app.listen({ port: 0, host: "127.0.0.1" });
  port = app.server.address().port;
}
process.send({ type: "ready", port });
process.on("disconnect", () => process.exit(0));
