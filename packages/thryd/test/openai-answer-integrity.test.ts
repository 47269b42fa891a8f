import type { MockBehaviour } from "@fabricatio/mock-llm";
import { describe, expect, it } from "vitest";
import {
  ContentFilteredError,
  createCompletionRouter,
  IncompleteResponseError,
  OpenAICompatibleProvider,
  ParseError,
  RouterCache,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();

function cachedRouter(options: { retry?: boolean } = {}) {
  const router = createCompletionRouter({
    cache: new RouterCache({ store: new Map() }),
    ...(options.retry ? { retry: { initialBackoffMs: 1 }, sleep: async () => {} } : {}),
  }).addProvider(
    new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
  );
  router.deploy("g", "mock/gpt");
  return router;
}

async function streamText(router: ReturnType<typeof cachedRouter>, message: string) {
  let text = "";
  for await (const piece of router.stream("g", { message })) text += piece;
  return text;
}

const sse = (...frames: unknown[]) =>
  frames
    .map((frame) => `data: ${typeof frame === "string" ? frame : JSON.stringify(frame)}\n\n`)
    .join("");
const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
  choices: [{ index: 0, delta, finish_reason: finishReason }],
});
const raw = (body: string, contentType = "text/event-stream"): MockBehaviour => ({
  type: "raw",
  body,
  contentType,
});

// Each row: a broken answer to a stream request, and what the IncompleteResponseError says.
const brokenStreams: [string, MockBehaviour, RegExp][] = [
  [
    "a stream cut cleanly before its finish chunk and [DONE]",
    { type: "truncated" },
    /without data: \[DONE\]/,
  ],
  [
    "a finish reason without data: [DONE]",
    raw(sse(chunk({ content: "Hello" }), chunk({}, "stop"))),
    /without data: \[DONE\]/,
  ],
  [
    "data: [DONE] without a finish reason",
    raw(sse(chunk({ content: "Hello" }), "[DONE]")),
    /without a finish_reason/,
  ],
  ["an empty 200 body", raw(""), /without data: \[DONE\]/],
  [
    "an HTML page on 200",
    raw("<!doctype html><html><body>Gateway maintenance</body></html>", "text/html; charset=utf-8"),
    /the body was text\/html, not an event stream/,
  ],
  [
    'a JSON {"error": …} body on 200',
    raw(
      JSON.stringify({ error: { message: "overloaded", type: "server_error" } }),
      "application/json",
    ),
    /the body was application\/json, not an event stream/,
  ],
  [
    "an unknown finish reason",
    raw(sse(chunk({ content: "Hi" }, "eaten_by_grue"), "[DONE]")),
    /unknown finish_reason/,
  ],
];

describe("OpenAI streams: only a complete answer is returned or cached", () => {
  it.each(brokenStreams)(
    "fails %s with IncompleteResponseError, caching nothing",
    async (_, behaviour, reason) => {
      const router = cachedRouter();
      mock().script(behaviour);
      const error = await streamText(router, "q").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(IncompleteResponseError);
      expect((error as IncompleteResponseError).reason).toMatch(reason);
      expect((error as IncompleteResponseError).isRetryable).toBe(true);
      expect(await streamText(router, "q")).toBe("echo: q");
      expect(mock().requestCount).toBe(2);
    },
  );

  it("retries an incomplete stream that yielded nothing and returns the whole answer", async () => {
    const router = cachedRouter({ retry: true });
    mock().script(raw(sse(chunk({ role: "assistant" }))));
    expect(await streamText(router, "again")).toBe("echo: again");
    expect(mock().requestCount).toBe(2);
  });

  it("turns a content_filter finish into ContentFilteredError with the partial text", async () => {
    const router = cachedRouter();
    mock().script({ type: "ok", content: "Partial", finishReason: "content_filter" });
    const error = await streamText(router, "q").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContentFilteredError);
    expect(error).toMatchObject({ providerReason: "content_filter", partialContent: "Partial" });
    expect(await streamText(router, "q")).toBe("echo: q");
  });
});

describe("OpenAI JSON answers: only a complete answer is returned or cached", () => {
  const brokenAnswers: [string, MockBehaviour, (error: unknown) => void][] = [
    [
      "an answer without a finish reason",
      { type: "truncated" },
      (error) => expect(error).toBeInstanceOf(IncompleteResponseError),
    ],
    [
      "a 200 without choices",
      raw(JSON.stringify({ id: "x", object: "chat.completion", choices: [] }), "application/json"),
      (error) => expect(error).toMatchObject({ reason: "no choices[0].message" }),
    ],
    [
      'a 200 {"error": …} body',
      raw(JSON.stringify({ error: { message: "upstream failed" } }), "application/json"),
      (error) => expect(error).toBeInstanceOf(IncompleteResponseError),
    ],
    [
      "an empty 200 body",
      raw("", "application/json"),
      (error) =>
        expect(error).toMatchObject({
          code: "THRYD_INCOMPLETE_RESPONSE",
          isRetryable: true,
          reason: expect.stringMatching(/empty body/),
        }),
    ],
    [
      "a 200 body cut mid-JSON",
      raw(
        '{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"Hel',
        "application/json",
      ),
      (error) =>
        expect(error).toMatchObject({
          code: "THRYD_INCOMPLETE_RESPONSE",
          reason: expect.stringMatching(/ends mid-document/),
        }),
    ],
    [
      "an HTML page on 200",
      raw("<!doctype html><p>maintenance</p>", "text/html"),
      (error) => expect(error).toBeInstanceOf(ParseError),
    ],
    [
      "a content_filter finish",
      { type: "ok", content: "Part", finishReason: "content_filter" },
      (error) =>
        expect(error).toMatchObject({ code: "THRYD_CONTENT_FILTERED", partialContent: "Part" }),
    ],
    [
      "a structured-output refusal",
      raw(
        JSON.stringify({
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: null, refusal: "I can't help with that." },
              finish_reason: "stop",
            },
          ],
        }),
        "application/json",
      ),
      (error) =>
        expect(error).toMatchObject({
          code: "THRYD_CONTENT_FILTERED",
          providerReason: "refusal",
          partialContent: "I can't help with that.",
        }),
    ],
  ];

  it.each(brokenAnswers)("rejects %s and caches nothing", async (_, behaviour, check) => {
    const router = cachedRouter();
    mock().script(behaviour);
    check(await router.invoke("g", { message: "q" }).catch((caught: unknown) => caught));
    expect((await router.invoke("g", { message: "q" })).content).toBe("echo: q");
    expect(mock().requestCount).toBe(2);
  });

  it("accepts a length finish as a whole (if cut) answer and reports it", async () => {
    const router = cachedRouter();
    mock().script({ type: "ok", content: "A long ans", finishReason: "length" });
    await expect(router.invoke("g", { message: "q" })).resolves.toMatchObject({
      content: "A long ans",
      finish_reason: "length",
    });
  });
});
