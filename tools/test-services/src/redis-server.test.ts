import { connect } from "node:net";
import { expect, it } from "vitest";
import { startRedisServer } from "./redis-server.js";

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (chunk) => {
      socket.end();
      resolve(String(chunk));
    });
    socket.once("error", reject);
  });
}

it("starts a redis-server that answers PING on its loopback port, and stops it", async () => {
  const server = await startRedisServer();
  try {
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await ping(server.port)).toBe("+PONG\r\n");
  } finally {
    await server.stop();
  }
  await expect(ping(server.port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
});
