import { createRequire } from "node:module";
import { LRUCache } from "lru-cache";
import type { Tiktoken } from "tiktoken";

/** Most distinct texts whose token counts are remembered. */
export const TOKEN_CACHE_MAX_ENTRIES = 10_000;

// Texts longer than this are counted but not memoised: they are rarely repeated and would
// evict many short ones.
const MAX_MEMOISED_CHARS = 64 * 1024;

let encoder: Tiktoken | undefined;
let memo: LRUCache<string, number> | undefined;

// tiktoken instantiates its WASM module when loaded, so it is loaded on the first count,
// not on import.
function getEncoder(): Tiktoken {
  if (!encoder) {
    const require = createRequire(import.meta.url);
    const tiktoken = require("tiktoken") as typeof import("tiktoken");
    encoder = tiktoken.get_encoding("o200k_base");
  }
  return encoder;
}

/**
 * Counts the tokens of `text` with tiktoken's `o200k_base` encoding, special-token text counted
 * as ordinary text. Counts are memoised in a bounded LRU of 10 000 texts.
 */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  memo ??= new LRUCache<string, number>({ max: TOKEN_CACHE_MAX_ENTRIES });
  const known = memo.get(text);
  if (known !== undefined) return known;
  const count = getEncoder().encode_ordinary(text).length;
  if (text.length <= MAX_MEMOISED_CHARS) memo.set(text, count);
  return count;
}

/** Counts the tokens of each text, in order. */
export function countTokensBatch(texts: readonly string[]): number[] {
  return texts.map(countTokens);
}
