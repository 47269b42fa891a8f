import { describe, expect, it } from "vitest";
import { useGateway } from "./harness.js";

const KEY = "gw-key-cancel-0123456789abcdef";
const OTHER_KEY = "gw-key-cancel-other-0123456789";
const fixture = useGateway({
  gateway: {
    max_wait_s: 0,
    keys: [
      { key: KEY, name: "one-rpm", rpm: 1 },
      { key: OTHER_KEY, name: "other-one-rpm", rpm: 1 },
    ],
  },
});

describe("client disconnect", () => {
  it("cancels the upstream stream mid-answer and gives the key's RPM slot back", async () => {
    const { mock, gateway, client } = fixture();
    mock.script({ type: "ok", content: "x".repeat(400), chunkIntervalMs: 40 });
    const stream = await client(KEY).chat.completions.create({
      model: "fast",
      messages: [{ role: "user", content: "long answer please" }],
      stream: true,
    });
    let received = "";
    for await (const chunk of stream) {
      received += chunk.choices[0]?.delta.content ?? "";
      if (received.length >= 8) break;
    }
    // Breaking out of the loop aborts the SDK's request: the gateway must stop the upstream.
    await expect.poll(() => mock.abandonedCount, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => gateway.inFlight, { timeout: 10_000 }).toBe(0);
    expect(received.length).toBeLessThan(400);
    // rpm = 1: the cancelled stream, never answered, no longer holds the key's only slot.
    const next = await client(KEY).chat.completions.create({
      model: "fast",
      messages: [{ role: "user", content: "again" }],
    });
    expect(next.choices[0]?.message.content).toBe("echo: again");
  }, 30_000);

  it("cancels a JSON request whose client gave up while the upstream was still thinking", async () => {
    const { mock, gateway, client } = fixture();
    mock.script({ type: "hang" });
    const controller = new AbortController();
    const pending = client(OTHER_KEY).chat.completions.create(
      { model: "fast", messages: [{ role: "user", content: "slow" }] },
      { signal: controller.signal },
    );
    await expect.poll(() => mock.requestCount, { timeout: 10_000 }).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => mock.abandonedCount, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => gateway.inFlight, { timeout: 10_000 }).toBe(0);
    const next = await client(OTHER_KEY).chat.completions.create({
      model: "fast",
      messages: [{ role: "user", content: "after" }],
    });
    expect(next.choices[0]?.message.content).toBe("echo: after");
  }, 30_000);
});
