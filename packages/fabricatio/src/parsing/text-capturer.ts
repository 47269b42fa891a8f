/**
 * Captures groups of a regular expression, matched as the original's `TextCapturer` does:
 * case-insensitive, `.` matching newlines, `^`/`$` at line boundaries (Rust's `(?smi)`).
 */
export class TextCapturer {
  readonly #pattern: RegExp;

  private constructor(pattern: string) {
    this.#pattern = new RegExp(pattern, "gsmi");
  }

  /** The regular expression source. */
  get pattern(): string {
    return this.#pattern.source;
  }

  /** A capturer of `pattern`. @throws {SyntaxError} for an invalid pattern */
  static withPattern(pattern: string): TextCapturer {
    return new TextCapturer(pattern);
  }

  /** Code snippets: a path line, `l_sep<language>`, the code, `r_sep` on a line of its own. */
  static captureSnippet(leftSeparator = ">>>>>", rightSeparator = "<<<<<"): TextCapturer {
    return new TextCapturer(`^(.*?)\\n${leftSeparator}(.*?)\\n(.*?)\\n${rightSeparator}$`);
  }

  /** The body of a fenced code block of `language` (a regex; any language by default). */
  static captureCodeBlock(language = ".*?"): TextCapturer {
    return TextCapturer.captureContent(`\`\`\`${language}`, "```");
  }

  /** The body of a generic block `--- Start of <type> ---` … `--- End of <type> ---`. */
  static captureGenericBlock(blockType = "String"): TextCapturer {
    return TextCapturer.captureContent(
      `--- Start of ${blockType} ---`,
      `--- End of ${blockType} ---`,
    );
  }

  /** The content between a line `left` and a line `right` (default: `left` again). */
  static captureContent(left: string, right?: string): TextCapturer {
    return new TextCapturer(`${left}\\n(.*?)\\n${right ?? left}`);
  }

  #matches(text: string): RegExpExecArray[] {
    return [...text.matchAll(this.#pattern)];
  }

  #first(text: string): RegExpExecArray | undefined {
    this.#pattern.lastIndex = 0;
    const match = this.#pattern.exec(text) ?? undefined;
    this.#pattern.lastIndex = 0;
    return match;
  }

  /** Group 1 of the first match (the whole match for a pattern without groups). */
  cap1(text: string): string | undefined {
    const match = this.#first(text);
    return match ? (match[1] ?? match[0]) : undefined;
  }

  /** Group 1 of every match. */
  cap1All(text: string): string[] {
    return this.#matches(text).map((match) => match[1] ?? match[0]);
  }

  /** Groups 1 and 2 of the first match. */
  cap2(text: string): [string, string] | undefined {
    const match = this.#first(text);
    return match ? [match[1] ?? "", match[2] ?? ""] : undefined;
  }

  /** Groups 1 and 2 of every match. */
  cap2All(text: string): [string, string][] {
    return this.#matches(text).map((match) => [match[1] ?? "", match[2] ?? ""]);
  }

  /** Groups 1, 2 and 3 of the first match. */
  cap3(text: string): [string, string, string] | undefined {
    const match = this.#first(text);
    return match ? [match[1] ?? "", match[2] ?? "", match[3] ?? ""] : undefined;
  }

  /** Groups 1, 2 and 3 of every match. */
  cap3All(text: string): [string, string, string][] {
    return this.#matches(text).map((match) => [match[1] ?? "", match[2] ?? "", match[3] ?? ""]);
  }
}
