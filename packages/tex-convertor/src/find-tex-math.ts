/** A stretch of the input: plain text, or one TeX formula with its delimiters. */
export type Segment =
  | { readonly kind: "text"; readonly text: string }
  | {
      readonly kind: "math";
      /** Display math (`$$…$$`, `\[…\]`) or inline (`$…$`, `\(…\)`). */
      readonly display: boolean;
      readonly open: string;
      readonly close: string;
      /** The TeX between the delimiters, untouched. */
      readonly body: string;
      /** Offset of the opening delimiter in the input. */
      readonly offset: number;
    };

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Offsets where each line starts, and whether the line lies inside a fenced code block. */
function fencedLines(text: string): { starts: number[]; fenced: boolean[] } {
  const starts: number[] = [];
  const fenced: boolean[] = [];
  let open: string | undefined;
  let offset = 0;
  for (const line of text.split("\n")) {
    starts.push(offset);
    const marker = FENCE.exec(line)?.[1];
    if (open === undefined) {
      if (marker) {
        open = marker;
        fenced.push(true);
      } else fenced.push(false);
    } else {
      fenced.push(true);
      // A closing fence is at least as long as the opening one, of the same character, and bare.
      if (marker && marker[0] === open[0] && marker.length >= open.length && line.trim() === marker)
        open = undefined;
    }
    offset += line.length + 1;
  }
  return { starts, fenced };
}

const isSpace = (char: string | undefined) => char === undefined || /\s/.test(char);
const isDigit = (char: string | undefined) => char !== undefined && char >= "0" && char <= "9";

/**
 * Splits text into plain text and TeX formulas: `$$…$$` and `\[…\]` (display), `\(…\)` and
 * `$…$` (inline), tried in that order at each position. Unlike a single regular expression, it
 * leaves alone an escaped `\$`, Markdown code spans and fenced code blocks, and applies Pandoc's
 * rule to inline `$` (the opening `$` is followed by a non-space, the closing one preceded by a
 * non-space and not followed by a digit), so "costs $5 and $10" stays prose. A display or `\(`
 * delimiter that is never closed leaves the rest of the text as it is.
 */
export function findTexMath(text: string): Segment[] {
  const segments: Segment[] = [];
  const { starts, fenced } = fencedLines(text);
  let line = 0;
  let textStart = 0;
  let index = 0;
  const pushText = (end: number) => {
    if (end > textStart) segments.push({ kind: "text", text: text.slice(textStart, end) });
  };
  const pushMath = (
    display: boolean,
    open: string,
    close: string,
    bodyStart: number,
    bodyEnd: number,
  ) => {
    pushText(index);
    segments.push({
      kind: "math",
      display,
      open,
      close,
      body: text.slice(bodyStart, bodyEnd),
      offset: index,
    });
    index = bodyEnd + close.length;
    textStart = index;
  };
  // The unescaped occurrence of `close` from `from` on, outside nothing: math bodies hold no code.
  const findClose = (close: string, from: number): number => {
    for (let at = text.indexOf(close, from); at !== -1; at = text.indexOf(close, at + 1)) {
      let backslashes = 0;
      for (let back = at - 1; back >= from && text[back] === "\\"; back -= 1) backslashes += 1;
      if (close.startsWith("\\") || backslashes % 2 === 0) return at;
    }
    return -1;
  };

  while (index < text.length) {
    while (line + 1 < starts.length && starts[line + 1]! <= index) line += 1;
    if (fenced[line]) {
      index = line + 1 < starts.length ? starts[line + 1]! : text.length;
      continue;
    }
    const char = text[index]!;
    if (char === "`") {
      let run = 1;
      while (text[index + run] === "`") run += 1;
      const ticks = "`".repeat(run);
      let close = text.indexOf(ticks, index + run);
      while (close !== -1 && text[close + run] === "`") {
        let after = close;
        while (text[after] === "`") after += 1;
        close = text.indexOf(ticks, after);
      }
      index = close === -1 ? index + run : close + run;
      continue;
    }
    if (char === "\\") {
      const next = text[index + 1];
      if (next === "[" || next === "(") {
        const close = next === "[" ? "\\]" : "\\)";
        const end = findClose(close, index + 2);
        if (end === -1) break;
        pushMath(next === "[", `\\${next}`, close, index + 2, end);
        continue;
      }
      // `\$`, `\\` and other escapes are text: the escaped character starts nothing.
      index += 2;
      continue;
    }
    if (char === "$") {
      if (text[index + 1] === "$") {
        const end = findClose("$$", index + 2);
        if (end === -1) break;
        pushMath(true, "$$", "$$", index + 2, end);
        continue;
      }
      const end = isSpace(text[index + 1]) ? -1 : findInlineClose(text, index + 1);
      if (end === -1) {
        index += 1;
        continue;
      }
      pushMath(false, "$", "$", index + 1, end);
      continue;
    }
    index += 1;
  }
  textStart = Math.min(textStart, text.length);
  if (textStart < text.length) segments.push({ kind: "text", text: text.slice(textStart) });
  return segments;
}

const BLANK_LINE_AHEAD = /^[ \t]*(\r?\n|$)/;

/** The closing `$` of inline math opened just before `from`, by Pandoc's rule; -1 if none. */
function findInlineClose(text: string, from: number): number {
  for (let at = from; at < text.length; at += 1) {
    const char = text[at];
    if (char === "\\") {
      at += 1;
      continue;
    }
    // Inline math does not cross a paragraph break.
    if (char === "\n" && BLANK_LINE_AHEAD.test(text.slice(at + 1, at + 80))) return -1;
    if (char === "$") {
      if (text[at + 1] === "$") return -1;
      if (!isSpace(text[at - 1]) && !isDigit(text[at + 1])) return at;
    }
  }
  return -1;
}
