import { readFileSync } from "node:fs";
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

type Ranks = (string | number[])[];

// The build writes gpt-tokenizer's rank table as JSON beside this module (scripts/
// write-token-ranks.mjs): Node parses it faster than it compiles the package's own 2 MB
// array-literal module, a quarter less CPU for the first count in a new process. Run from the
// sources (the unit tests), the package's module is loaded instead.
function loadRanks(require: NodeJS.Require): Ranks {
  try {
    return JSON.parse(readFileSync(new URL("./o200k_base.ranks.json", import.meta.url), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return (require("gpt-tokenizer/bpeRanks/o200k_base") as { default: Ranks }).default;
  }
}

// Both encoders build their o200k_base rank tables when loaded (gpt-tokenizer's from 200 000
// strings, tiktoken's in a WASM instance), so each is loaded on the first count that needs it.
function getFastCounter(): Counter {
  if (!fastCounter) {
    const require = createRequire(import.meta.url);
    const { GptEncoding } = require("gpt-tokenizer/GptEncoding") as {
      GptEncoding: typeof import("gpt-tokenizer/GptEncoding").GptEncoding;
    };
    const ranks = loadRanks(require);
    const encoding = GptEncoding.getEncodingApi("o200k_base", () => ranks);
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
