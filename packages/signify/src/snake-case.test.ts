import { describe, expect, it } from "vitest";
import { toSnakeCase } from "./snake-case.js";

describe("toSnakeCase (heck 0.5 semantics)", () => {
  it.each([
    ["promptText", "prompt_text"],
    ["doubleClick", "double_click"],
    ["fullPage", "full_page"],
    ["HTTPServer", "http_server"],
    ["XMLHttpRequest", "xml_http_request"],
    ["CamelCase", "camel_case"],
    ["already_snake", "already_snake"],
    ["hello__world", "hello_world"],
    ["__leading", "leading"],
    ["x-y", "x_y"],
    ["with space", "with_space"],
    ["version2Id", "version2_id"],
    ["version2id", "version2id"],
    ["v2", "v2"],
    ["HTTP2Server", "http2_server"],
    ["ABC2Def", "abc2_def"],
    ["a1B2c3", "a1_b2c3"],
    ["SHOUTY", "shouty"],
    ["ref", "ref"],
    ["ÉtéJoli", "été_joli"],
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(toSnakeCase(input)).toBe(expected);
  });
});
