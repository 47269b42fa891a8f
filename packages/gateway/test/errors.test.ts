import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { PROVIDER_KEY, useGateway } from "./harness.js";

// Every error status the gateway answers, seen through the official SDK's error classes (which
// read OpenAI's error shape) or through fetch where a header or raw body is the point.

const KEY_ALL = "gw-key-all-0123456789abcdef";
const KEY_FAST = "gw-key-fast-0123456789abcdef";
const KEY_ONE_RPM = "gw-key-rpm1-0123456789abcdef";
const KEY_BUDGET = "gw-key-budget-0123456789abcdef";

const fixture = useGateway({
  gateway: {
    max_wait_s: 0,
    request_timeout_s: 1,
    body_limit_bytes: 4096,
    keys: [
      { key: KEY_ALL, name: "all" },
      { key: KEY_FAST, name: "fast-only", groups: ["fast"] },
      { key: KEY_ONE_RPM, name: "one-rpm", rpm: 1 },
      { key: KEY_BUDGET, name: "tiny-budget", budget_usd: 0.000001 },
    ],
  },
  routing: {
    completion_deployments: [
      { id: "mock/gpt-mock", group: "fast" },
      { id: "mock/limited-mock", group: "limited", rpm: 1 },
      {
        id: "mock/priced-mock",
        group: "priced",
        input_price_per_mtok: 1000,
        output_price_per_mtok: 1000,
      },
    ],
  },
});

const ask = (apiKey: string, model = "fast", extra: Record<string, unknown> = {}) =>
  fixture()
    .client(apiKey)
    .chat.completions.create({
      model,
      messages: [{ role: "user", content: "hi" }],
      ...extra,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error("the request succeeded");
}

const post = (path: string, body: string, apiKey = KEY_ALL) =>
  fetch(`${fixture().url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body,
  });

describe("gateway errors", () => {
  it("answers 400 naming an unknown field, an unsupported value and a malformed message", async () => {
    const unknown = await failure(ask(KEY_ALL, "fast", { colour: "blue" }));
    expect(unknown.status).toBe(400);
    expect(unknown.param).toBe("colour");
    const choices = await failure(ask(KEY_ALL, "fast", { n: 2 }));
    expect(choices.status).toBe(400);
    expect(choices.param).toBe("n");
    const role = await failure(
      fixture()
        .client(KEY_ALL)
        .chat.completions.create({
          model: "fast",
          messages: [{ role: "robot", content: "hi" } as never],
        }),
    );
    expect(role.status).toBe(400);
    expect(role.param).toBe("messages[0].role");
    const json = await post("/v1/chat/completions", "{ not json");
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { type: string } }).error.type).toBe(
      "invalid_request_error",
    );
    expect(fixture().mock.requestCount).toBe(0);
  });

  it("answers 413 to a body over body_limit_bytes", async () => {
    const response = await post(
      "/v1/chat/completions",
      JSON.stringify({ model: "fast", messages: [{ role: "user", content: "x".repeat(5000) }] }),
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /body/i,
    );
  });

  it("answers 401 without a key and with a wrong one", async () => {
    const missing = await fetch(`${fixture().url}/v1/models`);
    expect(missing.status).toBe(401);
    const wrong = await failure(ask("gw-key-wrong-0123456789abcdef"));
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(wrong.code).toBe("invalid_api_key");
  });

  it("answers 404 for an unknown group and for a group the key may not call, alike", async () => {
    const unknown = await failure(ask(KEY_ALL, "no-such-group"));
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown.code).toBe("model_not_found");
    const forbidden = await failure(ask(KEY_FAST, "limited"));
    expect(forbidden.status).toBe(404);
    expect(forbidden.message.replace("limited", "G")).toBe(
      unknown.message.replace("no-such-group", "G"),
    );
    const models = await fixture().client(KEY_FAST).models.list();
    expect(models.data.map((model) => model.id)).toEqual(["fast"]);
  });

  it("answers 429 with Retry-After when a deployment's RPM would make the caller wait past max_wait_s", async () => {
    await ask(KEY_ALL, "limited");
    const response = await post(
      "/v1/chat/completions",
      JSON.stringify({ model: "limited", messages: [{ role: "user", content: "again" }] }),
    );
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(61);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      "rate_limit_exceeded",
    );
    expect(fixture().mock.requestCount).toBe(1);
  });

  it("answers 429 with Retry-After once a key has used its RPM", async () => {
    await ask(KEY_ONE_RPM);
    const response = await post(
      "/v1/chat/completions",
      JSON.stringify({ model: "fast", messages: [{ role: "user", content: "again" }] }),
      KEY_ONE_RPM,
    );
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(fixture().mock.requestCount).toBe(1);
  });

  it("answers 429 budget_exceeded once a key has spent its budget, until the period resets", async () => {
    await ask(KEY_BUDGET, "priced");
    const over = await failure(ask(KEY_BUDGET, "priced"));
    expect(over).toBeInstanceOf(OpenAI.RateLimitError);
    expect(over.code).toBe("budget_exceeded");
    expect(Number(over.headers?.get("retry-after"))).toBeGreaterThan(0);
    expect(fixture().mock.requestCount).toBe(1);
  });

  it("answers 502 for an upstream failure, its body scrubbed of the provider key", async () => {
    fixture().mock.script({
      type: "error",
      status: 500,
      body: JSON.stringify({ error: { message: `bad key ${PROVIDER_KEY} rejected` } }),
    });
    const response = await post(
      "/v1/chat/completions",
      JSON.stringify({ model: "fast", messages: [{ role: "user", content: "x" }] }),
    );
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).toContain("rejected");
    expect(text).not.toContain(PROVIDER_KEY);
    fixture().mock.script({ type: "malformed" });
    expect((await failure(ask(KEY_ALL))).status).toBe(502);
  });

  it("answers a stream whose upstream fails before its first event with a plain 502", async () => {
    fixture().mock.script({ type: "error", status: 503 });
    const failed = await failure(
      fixture()
        .client(KEY_ALL)
        .chat.completions.create({
          model: "fast",
          messages: [{ role: "user", content: "x" }],
          stream: true,
        }),
    );
    expect(failed.status).toBe(502);
  });

  it("ends a stream that outlives request_timeout_s with an error frame and cancels upstream", async () => {
    fixture().mock.script({ type: "ok", content: "z".repeat(200), chunkIntervalMs: 100 });
    const stream = await fixture()
      .client(KEY_ALL)
      .chat.completions.create({
        model: "fast",
        messages: [{ role: "user", content: "slow stream" }],
        stream: true,
      });
    let text = "";
    const consumed = (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })();
    await expect(consumed).rejects.toThrow(/limit of 1000 ms/);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(200);
    await expect.poll(() => fixture().mock.abandonedCount, { timeout: 5_000 }).toBe(1);
  });

  it("answers 504 when the upstream outlives request_timeout_s, and cancels the call", async () => {
    fixture().mock.script({ type: "hang" });
    const started = Date.now();
    const timedOut = await failure(ask(KEY_ALL));
    expect(timedOut.status).toBe(504);
    expect(timedOut.code).toBe("gateway_timeout");
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect.poll(() => fixture().mock.abandonedCount, { timeout: 5_000 }).toBe(1);
  }, 20_000);
});
