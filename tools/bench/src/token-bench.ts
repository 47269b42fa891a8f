import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { countTokens } from "@fabricatio/thryd";
import { countTokens as gptCountTokens } from "gpt-tokenizer/encoding/o200k_base";
import { getEncoding } from "js-tiktoken";

/** Tokens per second of one counter on one text. */
export interface TokenRow {
  counter: string;
  text: string;
  tokensPerS: number;
}

const VARIANTS = 2_000;
const ROUNDS = 3;

function flat(text: string): string {
  // Template concatenation builds rope strings that are slow to scan; real inputs are flat.
  return Buffer.from(text, "utf8").toString("utf8");
}

/**
 * Counts o200k_base tokens of the fixed English and CJK texts with thryd, tiktoken, js-tiktoken
 * and gpt-tokenizer. Each call sees a text it has not seen before (a numbered prefix), so thryd's
 * memo cannot help, except in the row that measures exactly that.
 * @throws when the counters disagree on a text
 */
export function benchTokenCounting(fixturesDir: string): TokenRow[] {
  const require = createRequire(import.meta.url);
  const tiktoken = require("tiktoken") as typeof import("tiktoken");
  const encoder = tiktoken.get_encoding("o200k_base");
  const jsEncoder = getEncoding("o200k_base");
  const counters: [string, (text: string) => number][] = [
    ["@fabricatio/thryd countTokens", countTokens],
    ["tiktoken (WASM) encode_ordinary", (text) => encoder.encode_ordinary(text).length],
    ["js-tiktoken encode", (text) => jsEncoder.encode(text).length],
    ["gpt-tokenizer countTokens", (text) => gptCountTokens(text)],
  ];
  const texts: [string, string][] = [
    ["English", readFileSync(`${fixturesDir}/english.txt`, "utf8").trim()],
    ["CJK", readFileSync(`${fixturesDir}/cjk.txt`, "utf8").trim()],
  ];
  const rows: TokenRow[] = [];
  let batchNumber = 0;
  for (const [textName, text] of texts) {
    const counts = counters.map(([, count]) => count(text));
    if (new Set(counts).size !== 1) {
      throw new Error(`token counts of the ${textName} text disagree: ${counts.join(", ")}`);
    }
    const measure = (count: (text: string) => number, batch: readonly string[]) => {
      const started = process.hrtime.bigint();
      let tokens = 0;
      for (const item of batch) tokens += count(item);
      return tokens / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    const best = new Map<string, number>();
    // Rounds alternate the counters so the machine's drift hits all alike; the best round counts.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [counterName, count] of counters) {
        batchNumber++;
        const batch = Array.from({ length: VARIANTS }, (_, index) =>
          flat(`${batchNumber}.${index} ${text}`),
        );
        best.set(counterName, Math.max(best.get(counterName) ?? 0, measure(count, batch)));
      }
    }
    const repeated = Array.from({ length: VARIANTS }, () => text);
    const memo = Math.max(...[0, 1, 2].map(() => measure(countTokens, repeated)));
    for (const [counterName] of counters) {
      rows.push({ counter: counterName, text: textName, tokensPerS: best.get(counterName)! });
    }
    rows.push({ counter: "thryd countTokens, memo hit", text: textName, tokensPerS: memo });
  }
  encoder.free();
  return rows;
}
