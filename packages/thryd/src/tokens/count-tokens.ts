import { createRequire } from "node:module";
import { LRUCache } from "lru-cache";

/** Most distinct texts whose token counts are remembered. */
export const TOKEN_CACHE_MAX_ENTRIES = 10_000;

// Texts longer than this are counted but not memoised: they are rarely repeated and would
// evict many short ones.
const MAX_MEMOISED_CHARS = 64 * 1024;

// Special-token text (`<|endoftext|>`) is counted as ordinary text, as tiktoken's
// `encode_ordinary`; gpt-tokenizer's default would throw on it.
const ORDINARY_TEXT = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

// gpt-tokenizer's rank table lost the nine o200k_base tokens that start with U+FEFF (its
// decoder strips a leading byte-order mark), so it counts them as two or more tokens. Texts
// holding one are counted by tiktoken, the reference, instead.
const BYTE_ORDER_MARK = "\ufeff";

type Counter = (text: string) => number;

let fastCounter: Counter | undefined;
let referenceCounter: Counter | undefined;
let memo: LRUCache<string, number> | undefined;

// Both encoders build their o200k_base rank tables when loaded (gpt-tokenizer's is a 2 MB
// module, tiktoken's a WASM instance), so each is loaded on the first count that needs it.
function getFastCounter(): Counter {
  if (!fastCounter) {
    const require = createRequire(import.meta.url);
    const encoding = require("gpt-tokenizer/encoding/o200k_base") as {
      countTokens(text: string, options: typeof ORDINARY_TEXT): number;
    };
    fastCounter = (text) => encoding.countTokens(text, ORDINARY_TEXT);
  }
  return fastCounter;
}

function getReferenceCounter(): Counter {
  if (!referenceCounter) {
    const require = createRequire(import.meta.url);
    const tiktoken = require("tiktoken") as typeof import("tiktoken");
    const encoder = tiktoken.get_encoding("o200k_base");
    referenceCounter = (text) => encoder.encode_ordinary(text).length;
  }
  return referenceCounter;
}

/**
 * Counts the tokens of `text` in OpenAI's `o200k_base` encoding, special-token text counted as
 * ordinary text: the same count as tiktoken's `encode_ordinary`, computed by `gpt-tokenizer`
 * (pure JavaScript, several times faster than tiktoken's WASM), or by tiktoken itself for a
 * text holding a byte-order mark (U+FEFF), where gpt-tokenizer's table is wrong. Counts are
 * memoised in a bounded LRU of `TOKEN_CACHE_MAX_ENTRIES` texts.
 */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  memo ??= new LRUCache<string, number>({ max: TOKEN_CACHE_MAX_ENTRIES });
  const known = memo.get(text);
  if (known !== undefined) return known;
  const count = text.includes(BYTE_ORDER_MARK)
    ? getReferenceCounter()(text)
    : getFastCounter()(text);
  if (text.length <= MAX_MEMOISED_CHARS) memo.set(text, count);
  return count;
}

/** Counts the tokens of each text, in order. */
export function countTokensBatch(texts: readonly string[]): number[] {
  return texts.map(countTokens);
}
