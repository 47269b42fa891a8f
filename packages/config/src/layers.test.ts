import { describe, expect, it } from "vitest";
import { envLayer, mergeLayers, parseEnvValue } from "./layers.js";

describe("parseEnvValue", () => {
  it.each([
    ["0.7", 0.7],
    ["42", 42],
    ["1_000", 1000],
    ["true", true],
    ["false", false],
    ['"quoted"', "quoted"],
    ["plain text", "plain text"],
    ["127.0.0.1:8080", "127.0.0.1:8080"],
    ["https://api.example.com/v1/", "https://api.example.com/v1/"],
    ['["a", "b"]', ["a", "b"]],
    ['{"k": 1}', { k: 1 }],
    ["[not json", "[not json"],
    ["", ""],
  ])("parses %j as %j", (raw, expected) => {
    expect(parseEnvValue(raw)).toEqual(expected);
  });
});

describe("envLayer", () => {
  it("skips variables without the prefix or with empty segments", () => {
    const layer = envLayer(
      { FABRICATIO_A__B: "1", FABRICATIO_C____D: "3", FABRICATIO_E__: "4", HOME: "/h" },
      (name) => name,
    );
    expect(layer.data).toEqual({ a: { b: 1 } });
    expect(layer.sourceOf("a.b")).toBe("FABRICATIO_A__B");
  });
});

describe("mergeLayers", () => {
  it("lets a higher scalar replace a lower table and forgets the table's sources", () => {
    const low = { data: { a: { b: 1, c: 2 } }, sourceOf: () => "low" };
    const high = { data: { a: 5 }, sourceOf: () => "high" };
    const { data, sources } = mergeLayers([low, high]);
    expect(data).toEqual({ a: 5 });
    expect([...sources]).toEqual([["a", "high"]]);
  });
});
