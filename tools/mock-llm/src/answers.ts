import { createHash } from "node:crypto";

/** A rough token estimate the mock reports as usage: one token per 4 characters, at least 1. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

interface ChatMessage {
  role?: string;
  content?: unknown;
}

/** The text of the last user message of a chat request, image parts left out. */
export function lastUserText(body: unknown): string {
  const messages = (body as { messages?: ChatMessage[] } | undefined)?.messages ?? [];
  const last =
    [...messages].reverse().find((message) => message.role === "user") ?? messages.at(-1);
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  if (Array.isArray(last.content)) {
    return last.content
      .filter((part): part is { type: string; text: string } => part?.type === "text")
      .map((part) => part.text)
      .join("");
  }
  return "";
}

/** A deterministic unit-length vector for `text`, derived from its SHA-256. */
export function embedText(text: string, dimensions: number): number[] {
  const vector: number[] = [];
  let block = createHash("sha256").update(text).digest();
  for (let index = 0; index < dimensions; index++) {
    const offset = (index * 2) % block.length;
    if (offset === 0 && index > 0) block = createHash("sha256").update(block).digest();
    vector.push(block.readUInt16BE(offset) / 65535 - 0.5);
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** Relevance of a document to a query: the share of query words found in it. */
export function relevance(query: string, document: string): number {
  const words = query.toLowerCase().split(/\W+/).filter(Boolean);
  if (words.length === 0) return 0;
  const haystack = document.toLowerCase();
  return words.filter((word) => haystack.includes(word)).length / words.length;
}

/** Splits `content` into SSE delta pieces of at most `size` characters. */
export function chunkText(content: string, size = 4): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < content.length; index += size) {
    pieces.push(content.slice(index, index + size));
  }
  return pieces;
}
