import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { get_encoding } from "tiktoken";
import { afterAll, describe, expect, it } from "vitest";
import { countTokens, countTokensBatch } from "../src/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const reference = get_encoding("o200k_base");
afterAll(() => reference.free());

// o200k_base's ordinary tokens are ranks 0 … 199 997; the special tokens follow.
const O200K_ORDINARY_RANKS = 199_998;

// tiktoken's WASM encoder is the reference, never our own counter.
const expected = (text: string) => reference.encode_ordinary(text).length;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const paragraphs = (text: string) => text.split(/\n\s*\n/).filter((part) => part.trim());

function emojiTexts(): string[] {
  const ranges: [number, number][] = [
    [0x2600, 0x27bf],
    [0x1f300, 0x1f5ff],
    [0x1f600, 0x1f64f],
    [0x1f680, 0x1f6ff],
    [0x1f900, 0x1f9ff],
    [0x1fa70, 0x1faff],
  ];
  const singles = ranges.flatMap(([from, to]) =>
    Array.from({ length: to - from + 1 }, (_, index) => String.fromCodePoint(from + index)),
  );
  const chunks: string[] = [];
  for (let index = 0; index < singles.length; index += 40) {
    chunks.push(singles.slice(index, index + 40).join(""));
    chunks.push(singles.slice(index, index + 40).join(" "));
  }
  const flags = ["JP", "FR", "BR", "KR", "CN", "US", "DE", "IN"].map((code) =>
    [...code].map((letter) => String.fromCodePoint(0x1f1a5 + letter.charCodeAt(0))).join(""),
  );
  const skinTones = [0x1f3fb, 0x1f3fc, 0x1f3fd, 0x1f3fe, 0x1f3ff].map(
    (tone) => `👍${String.fromCodePoint(tone)} 👩${String.fromCodePoint(tone)}‍💻`,
  );
  return [
    ...chunks,
    `flags ${flags.join("")} and ${flags.join(" ")}`,
    ...skinTones,
    "family 👨‍👩‍👧‍👦, rainbow flag 🏳️‍🌈, keycaps 1️⃣2️⃣#️⃣, text ☺︎ vs emoji ☺️",
    "deploy 🚀🚀🚀 to prod 🔥 — done ✅ (cost: 💸💸)",
  ];
}

// Deterministic mixes of scripts, digits, whitespace runs, code punctuation and special-token
// markers: where the two pre-tokenisers could part ways.
function mixedTexts(count: number, pieces: readonly string[]): string[] {
  // mulberry32, in 32-bit integer arithmetic: a float LCG loses precision and cycles.
  let seed = 20_260_801;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let mixed = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
  const fragments = [
    ...pieces,
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "\n\n\n",
    "1234567",
    "3.14159",
    "-42",
    "x=>x**2",
    "{}",
    "[]();",
    "'s",
    "'LL",
    "n't",
    "<|endoftext|>",
    "<|im_start|>",
    "éàü",
    "e\u0301",
    "مرحبا بالعالم",
    "नमस्ते दुनिया",
    "Привет, мир",
    "Γειά σου",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "🚀🔥👨‍👩‍👧",
    "\ud83d",
  ];
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(random() * 12);
    return Array.from({ length }, () => {
      const fragment = fragments[Math.floor(random() * fragments.length)]!;
      const start = Math.floor(random() * Math.max(1, fragment.length - 20));
      return fragment.slice(start, start + 1 + Math.floor(random() * 40));
    }).join("");
  });
}

const readme = readFileSync(path.join(here, "..", "README.md"), "utf8");
const code = sourceFiles(path.join(here, "..", "src")).map((file) => readFileSync(file, "utf8"));
const cjk = readFileSync(path.join(here, "fixtures", "token-corpus-cjk.txt"), "utf8");
const CORPUS: Record<string, string[]> = {
  English: [readme, ...paragraphs(readme)],
  code,
  CJK: [cjk, ...cjk.split("\n"), ...[...cjk].filter((_, index) => index % 37 === 0)],
  emoji: emojiTexts(),
  mixed: mixedTexts(3_000, [...paragraphs(readme).slice(0, 40), ...cjk.split("\n")]),
};
if (new Set(CORPUS.mixed).size < 2_900)
  throw new Error("the mixed texts repeat: check the generator");

describe("countTokens against tiktoken's o200k_base encode_ordinary", () => {
  for (const [name, texts] of Object.entries(CORPUS)) {
    it(`gives tiktoken's count for every ${name} text (${texts.length} texts)`, () => {
      const mismatches = texts
        .map((text) => ({
          text: text.slice(0, 60),
          ours: countTokens(text),
          tiktoken: expected(text),
        }))
        .filter((row) => row.ours !== row.tiktoken);
      expect(mismatches).toEqual([]);
    });
  }

  // Every token that decodes to text must count as one, as tiktoken says: this caught the
  // nine U+FEFF tokens gpt-tokenizer's table gets wrong.
  it("gives tiktoken's count for the text of every token in the vocabulary", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    const mismatches: { rank: number; text: string; ours: number; tiktoken: number }[] = [];
    let checked = 0;
    for (let rank = 0; rank < O200K_ORDINARY_RANKS; rank++) {
      let text: string;
      try {
        text = decoder.decode(reference.decode_single_token_bytes(rank));
      } catch {
        // Not a whole UTF-8 sequence on its own (a byte of a multi-byte character), or unused.
        continue;
      }
      checked++;
      const ours = countTokens(text);
      if (ours !== expected(text)) mismatches.push({ rank, text, ours, tiktoken: expected(text) });
    }
    expect(checked).toBeGreaterThan(190_000);
    expect(mismatches).toEqual([]);
  }, 180_000);

  it("counts texts with a byte-order mark like tiktoken", () => {
    for (const text of ["\ufeffusing System;", "a\ufeff# b", "\ufeff\ufeff", "﻿//", "x \ufeff#"]) {
      expect(countTokens(text)).toBe(expected(text));
    }
  });

  // The build writes the rank table as JSON for a faster load; the sources above read the
  // package's own module, so the built counter gets its own check.
  it("gives tiktoken's counts from the built package, which reads the JSON rank table", async () => {
    const built = path.join(here, "..", "dist", "tokens");
    if (!existsSync(path.join(built, "o200k_base.ranks.json"))) {
      throw new Error(
        "packages/thryd/dist is missing; run `pnpm --filter @fabricatio/thryd build`",
      );
    }
    const { countTokens: countBuilt } = (await import(
      pathToFileURL(path.join(built, "index.js")).href
    )) as typeof import("../src/tokens/index.js");
    const texts = Object.values(CORPUS).flatMap((group) => group.slice(0, 200));
    const mismatches = texts.filter((text) => countBuilt(text) !== expected(text));
    expect(mismatches).toEqual([]);
  }, 60_000);

  it("counts special-token text as ordinary text instead of throwing", () => {
    const text = "before <|endoftext|> after <|fim_prefix|>";
    expect(countTokens(text)).toBe(expected(text));
  });

  it("counts the empty string as 0 and a batch in order", () => {
    expect(countTokens("")).toBe(0);
    const texts = ["one", "二つ", "🚀 three"];
    expect(countTokensBatch(texts)).toEqual(texts.map(expected));
  });

  it("gives the same count from the memo on a repeat", () => {
    const text = "memoised text ".repeat(20);
    expect(countTokens(text)).toBe(expected(text));
    expect(countTokens(text)).toBe(expected(text));
  });
});
