import { describe, expect, it } from "vitest";
import { GatewayRequestError } from "../errors/request-errors.js";
import { parseChatRequest } from "./parse-chat-request.js";

const messages = [{ role: "user", content: "hi" }];

function paramOf(body: unknown): string | undefined {
  try {
    parseChatRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayRequestError);
    return (error as GatewayRequestError).param ?? "(body)";
  }
  return undefined;
}

describe("parseChatRequest", () => {
  it("maps max_tokens and reasoning_effort onto the router's names and drops nulls", () => {
    const parsed = parseChatRequest({
      model: "g",
      messages,
      max_tokens: 10,
      reasoning_effort: "high",
      temperature: null,
      metadata: { a: "b" },
    });
    expect(parsed).toEqual({
      group: "g",
      request: { messages, max_completion_tokens: 10, effort: "high" },
      stream: false,
      includeUsage: false,
    });
  });

  it("reads stream and stream_options.include_usage", () => {
    const parsed = parseChatRequest({
      model: "g",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(parsed).toMatchObject({ stream: true, includeUsage: true });
  });

  it("accepts the values of unsupported fields that mean off", () => {
    expect(
      paramOf({ model: "g", messages, n: 1, logprobs: false, store: false, modalities: ["text"] }),
    ).toBeUndefined();
  });

  it.each([
    [{ messages }, "model"],
    [{ model: "g" }, "messages"],
    [{ model: "g", messages, n: 3 }, "n"],
    [{ model: "g", messages, logprobs: true }, "logprobs"],
    [{ model: "g", messages, functions: [] }, "functions"],
    [{ model: "g", messages, frobnicate: 1 }, "frobnicate"],
    [{ model: "g", messages, temperature: "hot" }, "temperature"],
    [{ model: "g", messages, seed: 1.5 }, "seed"],
    [{ model: "g", messages, stream: "yes" }, "stream"],
    [{ model: "g", messages, stream_options: { include_usage: true } }, "stream_options"],
    [{ model: "g", messages, stream: true, stream_options: { x: 1 } }, "stream_options.x"],
    [{ model: "g", messages, max_tokens: 5, max_completion_tokens: 6 }, "max_tokens"],
    [[], "(body)"],
  ])("refuses %j naming %s", (body, param) => {
    expect(paramOf(body)).toBe(param);
  });
});
