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
 * The body of the first code block tagged `language` (any case) or untagged; with no `language`,
 * of the first code block. A block tagged with another language does not count.
 */
export function extractCode(text: string, language?: string): string | undefined {
  for (const match of text.matchAll(FENCE)) {
    const [, tag = "", body = ""] = match;
    if (!language || tag === "" || tag.toLowerCase() === language.toLowerCase()) return body;
  }
  return undefined;
}

const GENERIC_STRING = /--- Start of String ---\n([\s\S]*?)\n--- End of String ---/i;

/**
 * The text of a `generic_string` answer in either framing: the original's generic block
 * (`--- Start of String ---` … `--- End of String ---`, any case) or a ```string code block.
 */
export function extractGenericString(text: string): string | undefined {
  return GENERIC_STRING.exec(text)?.[1] ?? extractTaggedBlock(text, "string");
}

function extractTaggedBlock(text: string, language: string): string | undefined {
  for (const match of text.matchAll(FENCE)) {
    if ((match[1] ?? "").toLowerCase() === language) return match[2] ?? "";
  }
  return undefined;
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
