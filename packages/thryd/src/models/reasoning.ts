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

/** A completion response with reasoning stripped from its text; other responses as they are. */
export function stripReasoningFromResponse<T extends object>(response: T): T {
  const content = (response as { content?: unknown }).content;
  if (typeof content !== "string") return response;
  const stripped = stripReasoning(content);
  return stripped === content ? response : { ...response, content: stripped };
}

/**
 * Strips reasoning from a stream of text deltas as they pass; the final response's `content` is
 * stripped too. Stopping early stops the source.
 */
export async function* stripReasoningStream<R extends { content: string }>(
  source: AsyncGenerator<string, R, undefined>,
): AsyncGenerator<string, R, undefined> {
  const stripper = new ReasoningStripper();
  let done = false;
  try {
    for (;;) {
      const next = await source.next();
      if (next.done) {
        done = true;
        const rest = stripper.flush();
        if (rest) yield rest;
        return stripReasoningFromResponse(next.value);
      }
      const text = stripper.push(next.value);
      if (text) yield text;
    }
  } finally {
    if (!done) await source.return(undefined as never);
  }
}
