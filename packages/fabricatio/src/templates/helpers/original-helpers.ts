import { blake3 } from "@noble/hashes/blake3.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { HelperDelegate } from "handlebars";
import { detectLanguage } from "./detect-language.js";
import { defineHelper, integerParam, stringArrayParam, stringParam } from "./helper-params.js";
import { jsonLength } from "./rust-builtins.js";

/** Lines as Rust's `str::lines`: split on `\n` (a `\r` before it dropped), no empty last line. */
export function rustLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  if (text.endsWith("\n")) lines.pop();
  return lines;
}

/** `--- Start of <title> ---`, the content, `--- End of <title> ---`: the original's generic block. */
export function genericBlock(title: string, content: string): string {
  return `--- Start of ${title} ---\n${content}\n--- End of ${title} ---`;
}

/** A fenced code block: three backticks and `language`, the code, three backticks. */
export function codeBlock(language: string, code: string): string {
  return `\`\`\`${language}\n${code}\n\`\`\``;
}

function listOut(items: readonly string[]): string {
  return items
    .map((item) => {
      const [first, ...rest] = rustLines(item);
      if (first === undefined) return "- \n";
      return `- ${first}${rest.map((line) => `\n  ${line}`).join("")}\n`;
    })
    .join("");
}

const wordSegmenter = new Intl.Segmenter(undefined, { granularity: "word" });

/** Words of `text` as the original counts them: Unicode word-boundary segments not all blank. */
export function wordCount(text: string): number {
  let words = 0;
  for (const { segment } of wordSegmenter.segment(text)) if (segment.trim() !== "") words += 1;
  return words;
}

const LAST_TIMESTAMP_S = 8_210_298_412_799; // 262143-12-31T23:59:59Z, chrono's latest date

function formatTimestamp(seconds: number): string {
  if (seconds > LAST_TIMESTAMP_S) return "Invalid timestamp";
  const date = new Date(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  const year = date.getUTCFullYear();
  const yearText = year > 9999 ? `+${year}` : pad(year, 4);
  return `${yearText}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`;
}

function head(text: string, count: number): string {
  const lines = rustLines(text);
  const shown = lines.slice(0, Math.max(0, count));
  let result = shown.map((line) => `${line}\n`).join("");
  if (shown.length < lines.length) {
    result += `.....\n(total ${lines.length - shown.length} lines hidden)\n`;
  }
  return result.trimEnd();
}

function blockContent(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value ?? null);
}

/**
 * The helpers the original's template manager registers, with its semantics (parameter types
 * checked as handlebars-rust's typed helpers do):
 * - `lang text`: the native name of the text's language (`English`, `简体中文`, … 16 languages);
 * - `ls items`: `- item` lines, continuation lines indented two spaces;
 * - `join items sep`; `len value` (array items, object keys, string UTF-8 bytes, else 0);
 * - `hash text`: BLAKE3 hex; `words text`: the word count;
 * - `date seconds`: `YYYY-MM-DD HH:MM:SS UTC`;
 * - `head text n`: the first n lines, then `.....` and `(total N lines hidden)`;
 * - `block value title`: a generic block (`--- Start of title ---` … `--- End of title ---`) and a
 *   newline, non-strings as compact JSON; `code text language`: a fenced code block.
 */
export function originalHelpers(): Record<string, HelperDelegate> {
  return {
    lang: defineHelper("lang", 1, (params) => detectLanguage(stringParam("lang", params, 0))),
    ls: defineHelper("ls", 1, (params) => listOut(stringArrayParam("ls", params, 0))),
    join: defineHelper("join", 2, (params) =>
      stringArrayParam("join", params, 0).join(stringParam("join", params, 1)),
    ),
    len: defineHelper("len", 1, ([value]) => jsonLength(value)),
    hash: defineHelper("hash", 1, (params) =>
      bytesToHex(blake3(new TextEncoder().encode(stringParam("hash", params, 0)))),
    ),
    words: defineHelper("words", 1, (params) => wordCount(stringParam("words", params, 0))),
    date: defineHelper("date", 1, (params) => formatTimestamp(integerParam("date", params, 0, 0))),
    head: defineHelper("head", 2, (params) =>
      head(stringParam("head", params, 0), integerParam("head", params, 1)),
    ),
    block: defineHelper(
      "block",
      2,
      (params) => `${genericBlock(stringParam("block", params, 1), blockContent(params[0]))}\n`,
    ),
    code: defineHelper("code", 2, (params) =>
      codeBlock(stringParam("code", params, 1), stringParam("code", params, 0)),
    ),
  };
}

/** Helpers of this package beyond the original's: `json value`, `pluck items key`, `concat …`. */
export function extraHelpers(): Record<string, HelperDelegate> {
  return {
    json: defineHelper("json", 1, ([value]) => JSON.stringify(value ?? null)),
    pluck: defineHelper("pluck", 2, ([items, key]) =>
      Array.isArray(items)
        ? items.map((item) => (item as Record<string, unknown>)?.[String(key)])
        : [],
    ),
    concat: defineHelper("concat", 0, (params) =>
      params.map((value) => String(value ?? "")).join(""),
    ),
  };
}
