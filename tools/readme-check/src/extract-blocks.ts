/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The Markdown file, as the caller named it (reports print it). */
  readonly file: string;
  /** Line of the opening fence, 1-based. The code's first line is `line + 1`. */
  readonly line: number;
  /** First word of the info string, lower-cased: `ts`, `toml`, `sh`; `""` without one. */
  readonly language: string;
  /**
   * readme-check markers: the words after the language in the info string (```` ```ts run ````)
   * and those of a `<!-- readme-check: … -->` comment on the last non-blank line before the fence.
   */
  readonly markers: readonly string[];
  /** The block's text, the fence's indentation removed, ending without a newline. */
  readonly code: string;
}

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})(.*)$/;
const MARKER_COMMENT = /^\s*<!--\s*readme-check:\s*(.*?)\s*-->\s*$/;

/** The words of a `<!-- readme-check: … -->` line, or `undefined` when the line is not one. */
function markerWords(line: string | undefined): string[] | undefined {
  const match = line === undefined ? null : MARKER_COMMENT.exec(line);
  return match ? match[1]!.split(/\s+/).filter(Boolean) : undefined;
}

/** Whether `line` closes a fence opened with `fence` (same character, at least as long). */
function closes(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return (
    trimmed.length >= fence.length &&
    trimmed[0] === fence[0] &&
    [...trimmed].every((character) => character === fence[0])
  );
}

/**
 * Every fenced code block of a Markdown text, in order, as CommonMark reads fences: ``` or ~~~
 * (three or more), closed by a line of the same character at least as long, so a ```` ```` ````
 * block can show a ```` ``` ```` one. An unclosed fence runs to the end of the text.
 */
export function extractBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const blocks: CodeBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const open = FENCE_OPEN.exec(lines[index]!);
    // A backtick fence's info string may not hold a backtick: that line is inline code.
    if (!open || (open[2]!.startsWith("`") && open[3]!.includes("`"))) {
      index += 1;
      continue;
    }
    const [, indent = "", fence = "", info = ""] = open;
    const [language = "", ...infoMarkers] = info.trim().split(/\s+/).filter(Boolean);
    let previous = index - 1;
    while (previous >= 0 && lines[previous]!.trim() === "") previous -= 1;
    const commentMarkers = markerWords(lines[previous]) ?? [];
    const body: string[] = [];
    let cursor = index + 1;
    while (cursor < lines.length && !closes(lines[cursor]!, fence)) {
      const text = lines[cursor]!;
      body.push(text.startsWith(indent) ? text.slice(indent.length) : text.trimStart());
      cursor += 1;
    }
    blocks.push({
      file,
      line: index + 1,
      language: language.toLowerCase(),
      markers: [...infoMarkers, ...commentMarkers],
      code: body.join("\n"),
    });
    index = cursor + 1;
  }
  return blocks;
}
