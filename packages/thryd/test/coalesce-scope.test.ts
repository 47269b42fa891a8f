// README, Request coalescing: "invokeFresh, noCache and streams are never coalesced". Each case
// sends identical requests at once to an upstream slow enough that they all overlap, next to
// plain invokes, which the same router does coalesce.
import { describe, expect, it } from "vitest";
import { createCompletionRouter, OpenAICompatibleProvider } from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();
const CALLS = 4;
const request = { message: "the same question", temperature: 0 };

function router() {
  mock().setDefault({ type: "ok", latencyMs: 150 });
  const chat = createCompletionRouter({ coalesce: true, cache: { store: new Map() } }).addProvider(
    new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
  );
  chat.deploy("g", "mock/m");
  return chat;
}

async function drain(stream: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const delta of stream) text += delta;
  return text;
}

describe("Coalescing applies to plain invokes only", () => {
  it("sends identical concurrent invokes once (the control)", async () => {
    const chat = router();
    await Promise.all(Array.from({ length: CALLS }, () => chat.invoke("g", request)));
    expect(mock().requestCount).toBe(1);
  });

  it("sends every concurrent invokeFresh, and none joins the plain invokes in flight", async () => {
    const chat = router();
    await Promise.all([
      ...Array.from({ length: CALLS }, () => chat.invokeFresh("g", request)),
      ...Array.from({ length: CALLS }, () => chat.invoke("g", request)),
    ]);
    expect(mock().requestCount).toBe(CALLS + 1);
  });

  it("sends every concurrent noCache invoke", async () => {
    const chat = router();
    await Promise.all(
      Array.from({ length: CALLS }, () => chat.invoke("g", request, { noCache: true })),
    );
    expect(mock().requestCount).toBe(CALLS);
  });

  it("sends every concurrent stream, each with its own answer", async () => {
    const chat = router();
    const texts = await Promise.all(
      Array.from({ length: CALLS }, () => drain(chat.stream("g", request))),
    );
    expect(mock().requestCount).toBe(CALLS);
    expect(texts).toEqual(Array.from({ length: CALLS }, () => "echo: the same question"));
    expect(
      mock().requests.every((received) => (received.body as { stream?: boolean }).stream),
    ).toBe(true);
  });
});
