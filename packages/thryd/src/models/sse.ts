import { SseError } from "../errors/transport-errors.js";

/** One server-sent event: its `data` lines joined by newlines, and its `event` name if any. */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

/**
 * Parses an SSE byte stream incrementally, yielding each event as soon as its blank line
 * arrives. Handles `\n`, `\r\n` and `\r` line ends, comments, and multi-line data.
 */
export async function* parseSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  let event: string | undefined;
  const flushLine = function* (line: string): Generator<SseEvent> {
    if (line === "") {
      if (data.length > 0) yield { event, data: data.join("\n") };
      data = [];
      event = undefined;
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
  };
  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let match = /\r\n|\r|\n/.exec(buffer);
    // A lone trailing \r may be the first half of \r\n: wait for the next chunk.
    while (match && !(match[0] === "\r" && match.index === buffer.length - 1)) {
      yield* flushLine(buffer.slice(0, match.index));
      buffer = buffer.slice(match.index + match[0].length);
      match = /\r\n|\r|\n/.exec(buffer);
    }
  }
  buffer += decoder.decode();
  if (buffer.length > 0) yield* flushLine(buffer.replace(/\r$/, ""));
  yield* flushLine("");
}

/**
 * The JSON payload of an event.
 * @throws {SseError} when the data is not JSON (its first 200 characters are quoted)
 */
export function sseJson<T>(event: SseEvent): T {
  try {
    return JSON.parse(event.data) as T;
  } catch (error) {
    throw new SseError(`event is not JSON: ${event.data.slice(0, 200)}`, error);
  }
}
