import { jsonrepair } from "jsonrepair";

const FENCE = /```([\w+#.-]*)[^\S\n]*\n([\s\S]*?)\n?```/g;

/**
 * The body of the first fenced code block of `text`, preferring one tagged `language`.
 * Returns `undefined` when there is none.
 */
export function extractCodeBlock(text: string, language?: string): string | undefined {
  let first: string | undefined;
  for (const match of text.matchAll(FENCE)) {
    const [, tag = "", body = ""] = match;
    if (language === undefined || tag.toLowerCase() === language.toLowerCase()) return body;
    first ??= body;
  }
  return first;
}

/**
 * Parses the JSON of an answer: the first `json` code block (or the whole text), repaired with
 * jsonrepair when `repair` is on. Returns `undefined` when it cannot be parsed.
 */
export function parseJsonAnswer(
  text: string,
  { repair = true }: { repair?: boolean } = {},
): unknown {
  const candidate = (extractCodeBlock(text, "json") ?? text).trim();
  try {
    return JSON.parse(candidate);
  } catch {
    if (!repair) return undefined;
    try {
      return JSON.parse(jsonrepair(candidate));
    } catch {
      return undefined;
    }
  }
}
