import type { CompletionResponse, CompletionStreamEvent } from "../types.js";

// Tags reasoning models wrap their chain of thought in. Longest first: `<thinking>` must not be
// read as `<think>` followed by "ing>".
const TAGS = ["thinking", "think"] as const;
const LONGEST_OPEN = "<thinking>".length;

function openingAt(text: string, index: number): string | undefined {
  for (const tag of TAGS) if (text.startsWith(`<${tag}>`, index)) return tag;
  return undefined;
}

/** Whether `text` (from `index` to its end) could still grow into an opening tag. */
function couldOpen(text: string, index: number): boolean {
  const rest = text.slice(index);
  return TAGS.some((tag) => `<${tag}>`.startsWith(rest));
}

/**
 * Removes reasoning from a completion streamed in pieces: `<think>…</think>` and
 * `<thinking>…</thinking>` blocks, split anywhere across chunks, and an unterminated block (the
 * rest of the answer is reasoning). Whitespace right after a removed leading block is dropped too.
 * Holds back at most one partial tag, so text is released as soon as it cannot be a tag.
 */
export class ReasoningStripper {
  #pending = "";
  #inside: string | undefined;
  #emittedAny = false;
  #afterBlock = false;

  /** Feeds one chunk; returns the text that is certainly not reasoning (may be empty). */
  push(chunk: string): string {
    let text = this.#pending + chunk;
    this.#pending = "";
    let output = "";
    while (text.length > 0) {
      if (this.#inside) {
        const close = `</${this.#inside}>`;
        const end = text.indexOf(close);
        if (end === -1) {
          // Keep only what could be the start of the closing tag.
          const keep = Math.min(close.length - 1, text.length);
          for (let size = keep; size > 0; size--) {
            if (close.startsWith(text.slice(text.length - size))) {
              this.#pending = text.slice(text.length - size);
              break;
            }
          }
          return this.#emit(output);
        }
        text = text.slice(end + close.length);
        this.#inside = undefined;
        this.#afterBlock = true;
        continue;
      }
      const open = text.indexOf("<");
      if (open === -1) {
        output += text;
        break;
      }
      output += text.slice(0, open);
      const tag = openingAt(text, open);
      if (tag) {
        this.#inside = tag;
        text = text.slice(open + tag.length + 2);
        continue;
      }
      if (text.length - open < LONGEST_OPEN && couldOpen(text, open)) {
        this.#pending = text.slice(open);
        break;
      }
      output += "<";
      text = text.slice(open + 1);
    }
    return this.#emit(output);
  }

  /** Ends the stream; returns held-back text that turned out not to be a tag. */
  flush(): string {
    const rest = this.#inside ? "" : this.#pending;
    this.#pending = "";
    return this.#emit(rest);
  }

  #emit(text: string): string {
    let out = text;
    // "<think>…</think>\n\nAnswer": the blank lines belonged to the reasoning's layout.
    if (!this.#emittedAny && this.#afterBlock) out = out.replace(/^\s+/, "");
    if (out.length > 0) this.#emittedAny = true;
    return out;
  }
}

/**
 * A completion's text without reasoning blocks (`<think>`, `<thinking>`, also unterminated).
 * Text without a reasoning tag is returned unchanged.
 */
export function stripReasoning(text: string): string {
  if (!text.includes("<think")) return text;
  const stripper = new ReasoningStripper();
  return stripper.push(text) + stripper.flush();
}

/**
 * A completion response with reasoning stripped from its text, in `content` and in the
 * assistant `message` alike; other responses as they are.
 */
export function stripReasoningFromResponse<T extends object>(response: T): T {
  const { content, message } = response as {
    content?: unknown;
    message?: { content?: unknown };
  };
  if (typeof content !== "string") return response;
  const stripped = stripReasoning(content);
  if (stripped === content) return response;
  const messageContent = message?.content;
  return {
    ...response,
    content: stripped,
    ...(message && typeof messageContent === "string"
      ? { message: { ...message, content: stripReasoning(messageContent) } }
      : {}),
  };
}

/**
 * Strips reasoning from a completion's stream events as they pass: text events are filtered
 * (a tag may be split across events), held-back text is released before `finish`, and the
 * `finish` event's response and the returned response are stripped too. Stopping early stops
 * the source.
 */
export async function* stripReasoningEvents(
  source: AsyncGenerator<CompletionStreamEvent, CompletionResponse, undefined>,
): AsyncGenerator<CompletionStreamEvent, CompletionResponse, undefined> {
  const stripper = new ReasoningStripper();
  let stripped: CompletionResponse | undefined;
  let done = false;
  try {
    for (;;) {
      const next = await source.next();
      if (next.done) {
        done = true;
        return stripped ?? stripReasoningFromResponse(next.value);
      }
      const event = next.value;
      if (event.type === "text") {
        const text = stripper.push(event.text);
        if (text) yield { type: "text", text };
      } else if (event.type === "finish") {
        const rest = stripper.flush();
        if (rest) yield { type: "text", text: rest };
        stripped = stripReasoningFromResponse(event.response);
        yield { ...event, response: stripped };
      } else {
        yield event;
      }
    }
  } finally {
    if (!done) await source.return(undefined as never);
  }
}
