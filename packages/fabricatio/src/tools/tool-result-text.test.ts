import { describe, expect, it } from "vitest";
import { functionResultText, mcpResultText } from "./tool-result-text.js";

describe("functionResultText", () => {
  it.each([
    ["a string as is", "plain", "plain"],
    ["a number as JSON", 3, "3"],
    ["an object as JSON", { a: [1] }, '{"a":[1]}'],
    ["undefined as nothing", undefined, ""],
    ["null as JSON", null, "null"],
  ])("sends %s", (_name, value, text) => {
    expect(functionResultText(value)).toBe(text);
  });
});

describe("mcpResultText", () => {
  it("joins text parts and names the parts that have no text", () => {
    expect(
      mcpResultText({
        content: [
          { type: "text", text: "one" },
          { type: "image", data: "AAAA", mimeType: "image/png" },
          { type: "resource", resource: { uri: "file:///a", text: "inline" } },
          { type: "resource_link", uri: "file:///b", name: "b" },
        ],
      }),
    ).toEqual({ content: "one\n[image image/png]\ninline\n[resource file:///b]", isError: false });
  });

  it("falls back to structuredContent and keeps isError", () => {
    expect(mcpResultText({ content: [], structuredContent: { sum: 5 }, isError: true })).toEqual({
      content: '{"sum":5}',
      isError: true,
    });
  });
});
