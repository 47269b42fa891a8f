type Mode = "boundary" | "lower" | "upper";

const isLower = (char: string) => char !== char.toUpperCase() && char === char.toLowerCase();
const isUpper = (char: string) => char !== char.toLowerCase() && char === char.toUpperCase();

/**
 * Splits `text` into words the way Rust's `heck` 0.5 does: runs of letters and digits separated
 * by anything else; inside a run, a boundary between a lower-case letter (or a digit after one)
 * and an upper-case letter, and before the last of several upper-case letters when a lower-case
 * letter follows (`XMLHttp` → `XML`, `Http`). Digits keep the mode of what precedes them.
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const run of text.match(/[\p{L}\p{N}]+/gu) ?? []) {
    const chars = [...run];
    let mode: Mode = "boundary";
    let start = 0;
    for (let index = 0; index < chars.length; index += 1) {
      const char = chars[index]!;
      const next = chars[index + 1];
      const nextMode: Mode = isLower(char) ? "lower" : isUpper(char) ? "upper" : mode;
      if (next === undefined) break;
      if (nextMode === "lower" && isUpper(next)) {
        words.push(chars.slice(start, index + 1).join(""));
        start = index + 1;
        mode = "boundary";
      } else if (mode === "upper" && isUpper(char) && isLower(next)) {
        if (index > start) words.push(chars.slice(start, index).join(""));
        start = index;
        mode = nextMode;
      } else {
        mode = nextMode;
      }
    }
    words.push(chars.slice(start).join(""));
  }
  return words.filter((word) => word.length > 0);
}

/** `snake_case` with heck's word boundaries: `promptText` → `prompt_text`, `HTTPServer` → `http_server`. */
export function toSnakeCase(text: string): string {
  return splitWords(text)
    .map((word) => word.toLowerCase())
    .join("_");
}
