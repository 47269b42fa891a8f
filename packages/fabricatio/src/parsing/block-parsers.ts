import { TextCapturer } from "./text-capturer.js";

/** Captures fenced code blocks of one language (a regex; `.*?` for any), the original's parser. */
export class CodeBlockParser {
  readonly language: string;
  readonly #capturer: TextCapturer;

  private constructor(language: string) {
    this.language = language;
    this.#capturer = TextCapturer.captureCodeBlock(language);
  }

  /** A parser of ```<language> blocks. */
  static withLanguage(language: string): CodeBlockParser {
    return new CodeBlockParser(language);
  }

  /** A parser of ```python blocks (the original's `python_parser`). */
  static capturePython(): CodeBlockParser {
    return new CodeBlockParser("python");
  }

  /** The body of the first matching block. */
  capture(text: string): string | undefined {
    return this.#capturer.cap1(text);
  }

  /** The bodies of every matching block. */
  captureAll(text: string): string[] {
    return this.#capturer.cap1All(text);
  }
}

/** Captures generic blocks `--- Start of <type> ---` … `--- End of <type> ---`. */
export class GenericBlockParser {
  readonly blockType: string;
  readonly #capturer: TextCapturer;

  private constructor(blockType: string) {
    this.blockType = blockType;
    this.#capturer = TextCapturer.captureGenericBlock(blockType);
  }

  /** A parser of blocks of `blockType`. @default "String" */
  static withBlockType(blockType = "String"): GenericBlockParser {
    return new GenericBlockParser(blockType);
  }

  /** A parser of `String` blocks (the original's `generic_parser`). */
  static captureGenericString(): GenericBlockParser {
    return new GenericBlockParser("String");
  }

  /** The content of the first block. */
  capture(text: string): string | undefined {
    return this.#capturer.cap1(text);
  }

  /** The contents of every block. */
  captureAll(text: string): string[] {
    return this.#capturer.cap1All(text);
  }
}

/** Captures the content between a line `left` and a line `right`. */
export class ContentBlockParser {
  readonly leftDelimiter: string;
  readonly rightDelimiter: string;
  readonly #capturer: TextCapturer;

  private constructor(left: string, right: string) {
    this.leftDelimiter = left;
    this.rightDelimiter = right;
    this.#capturer = TextCapturer.captureContent(left, right);
  }

  /** A parser of content between `left` and `right` (default: `left` again). */
  static withDelimiters(left: string, right?: string): ContentBlockParser {
    return new ContentBlockParser(left, right ?? left);
  }

  /** The first content. */
  capture(text: string): string | undefined {
    return this.#capturer.cap1(text);
  }

  /** Every content. */
  captureAll(text: string): string[] {
    return this.#capturer.cap1All(text);
  }
}
