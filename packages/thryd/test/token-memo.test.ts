// The token-count memo is bounded (README: "memoised in a bounded LRU of 10 000 texts"; the
// original's memo grew without limit). Seen from outside: how often the encoder underneath,
// gpt-tokenizer's o200k_base `GptEncoding`, is asked to count. The spy is installed before this
// file's first count, since the encoding binds its `countTokens` when it is built.
import { createRequire } from "node:module";
import type { GptEncoding as GptEncodingClass } from "gpt-tokenizer/GptEncoding";
import { describe, expect, it, vi } from "vitest";
import { countTokens, TOKEN_CACHE_MAX_ENTRIES } from "../src/index.js";

const require = createRequire(import.meta.url);
const { GptEncoding } = require("gpt-tokenizer/GptEncoding") as {
  GptEncoding: typeof GptEncodingClass;
};
const encoderCounts = vi.spyOn(GptEncoding.prototype, "countTokens");

// Asks for the counts of `texts` and returns how many of them the encoder had to count.
function encoded(texts: readonly string[]): number {
  const before = encoderCounts.mock.calls.length;
  for (const text of texts) countTokens(text);
  return encoderCounts.mock.calls.length - before;
}

let fillers = 0;
// Distinct texts no other test counted.
const newTexts = (count: number) =>
  Array.from({ length: count }, () => `filler text number ${fillers++}`);

describe("The token-count memo", () => {
  it("holds 10 000 texts", () => {
    expect(TOKEN_CACHE_MAX_ENTRIES).toBe(10_000);
  });

  it("counts a repeated text once", () => {
    const text = "a text counted twice";
    expect(encoded([text])).toBe(1);
    expect(encoded([text, text, text])).toBe(0);
  });

  it("keeps the TOKEN_CACHE_MAX_ENTRIES most recently used texts and forgets the one before", () => {
    const oldest = "the oldest text";
    const kept = "a text used again";
    expect(encoded([oldest, kept])).toBe(2);
    const filled = newTexts(TOKEN_CACHE_MAX_ENTRIES - 2);
    expect(encoded(filled)).toBe(filled.length);
    // Full now. Using `kept` again makes `oldest` the least recently used…
    expect(encoded([kept])).toBe(0);
    // …so one new text pushes out `oldest` alone.
    expect(encoded(newTexts(1))).toBe(1);
    expect(encoded([kept, ...filled.slice(1)])).toBe(0);
    expect(encoded([oldest])).toBe(1);
  });

  it("stays bounded: after twice its size of new texts, the first ones are counted again", () => {
    const first = newTexts(100);
    encoded(first);
    encoded(newTexts(2 * TOKEN_CACHE_MAX_ENTRIES));
    expect(encoded(first)).toBe(first.length);
  });
});
