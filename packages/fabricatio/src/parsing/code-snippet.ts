import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { TextCapturer } from "./text-capturer.js";

/** A file the model wrote: its path, language and source (the original's `CodeSnippet`). */
export class CodeSnippet {
  /** The code. */
  readonly source: string;
  /** The language tag after the left separator. */
  readonly language: string;
  /** Where the code is meant to be written, as the model gave it. */
  readonly writeTo: string;

  constructor({
    source,
    language,
    writeTo,
  }: { source: string; language: string; writeTo: string }) {
    this.source = source;
    this.language = language;
    this.writeTo = writeTo;
  }

  /**
   * Writes the source to `writeTo` (resolved against `cwd`), replacing the file whole: written to
   * a temporary file beside it, then renamed. Missing parent folders are created unless
   * `parentDirs` is false.
   * @returns the absolute path written
   * @throws the file system's error when the path cannot be written
   */
  write({
    parentDirs = true,
    cwd = process.cwd(),
  }: {
    parentDirs?: boolean;
    cwd?: string;
  } = {}): string {
    const target = path.resolve(cwd, this.writeTo);
    if (parentDirs) mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temporary, this.source);
    renameSync(temporary, target);
    return target;
  }
}

/**
 * Parses snippets written as a path line, `>>>>><language>`, the code, and `<<<<<` on a line of
 * its own (the original's `CodeSnippetParser`, separators configurable).
 */
export class CodeSnippetParser {
  readonly leftSeparator: string;
  readonly rightSeparator: string;
  readonly #capturer: TextCapturer;

  private constructor(left: string, right: string) {
    this.leftSeparator = left;
    this.rightSeparator = right;
    this.#capturer = TextCapturer.captureSnippet(left, right);
  }

  /** A parser with these separators. @default ">>>>>" and "<<<<<" */
  static withSeparators(left = ">>>>>", right = "<<<<<"): CodeSnippetParser {
    return new CodeSnippetParser(left, right);
  }

  /** Every snippet of `text`, in order. */
  parse(text: string): CodeSnippet[] {
    return this.#capturer
      .cap3All(text)
      .map(([writeTo, language, source]) => new CodeSnippet({ writeTo, language, source }));
  }
}
