import { jsonrepair } from "jsonrepair";
import { parseJsonAnswer } from "../llm/answer-parsing.js";
import { TextCapturer } from "./text-capturer.js";
import { isKeyOfType, isValueOfType, type ValueOf, type ValueType } from "./value-type.js";

function repair(text: string): string | undefined {
  try {
    return jsonrepair(text);
  } catch {
    return undefined;
  }
}

function lengthMatches(actual: number, length: number | undefined): boolean {
  // As the original: no length, or 0, means any length.
  return !length || actual === length;
}

/**
 * Finds, repairs and validates JSON in model answers, as the original's `JsonParser`. Every method
 * returns `undefined` where the original returns `None`.
 */
export class JsonParser {
  readonly capturer: TextCapturer;

  constructor(capturer: TextCapturer) {
    this.capturer = capturer;
  }

  /** A parser capturing with `pattern` (group 1, or the whole match without groups). */
  static withPattern(pattern: string): JsonParser {
    return new JsonParser(TextCapturer.withPattern(pattern));
  }

  /** A parser capturing with an existing capturer. */
  static withCapturer(capturer: TextCapturer): JsonParser {
    return new JsonParser(capturer);
  }

  /** A parser of the first ```json code block (the original's `json_parser`). */
  static captureJsonCodeblock(): JsonParser {
    return new JsonParser(TextCapturer.captureCodeBlock("json"));
  }

  /**
   * Parses `text` as JSON; with `fix`, a fenced block or broken JSON (missing commas, quotes,
   * brackets) is repaired first. `undefined` when it cannot be parsed.
   */
  static deserialize(text: string, fix = true): unknown {
    if (fix) return parseJsonAnswer(text, { repair: true });
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  /** The first capture, repaired to valid JSON text when `fix`. */
  capture(text: string, fix = true): string | undefined {
    const captured = this.capturer.cap1(text);
    if (captured === undefined || !fix) return captured;
    return repair(captured);
  }

  /** Every capture, each repaired when `fix` (captures that cannot be repaired are left out). */
  captureAll(text: string, fix = true): string[] {
    const captured = this.capturer.cap1All(text);
    if (!fix) return captured;
    return captured.map(repair).filter((item): item is string => item !== undefined);
  }

  /** The first capture (or the whole text when nothing matches) parsed as JSON. */
  convert(text: string, fix = true): unknown {
    return JsonParser.deserialize(this.capturer.cap1(text) ?? text, fix);
  }

  /** Every capture parsed as JSON, leaving out those that cannot be parsed. */
  convertAll(text: string, fix = true): unknown[] {
    return this.captureAll(text, fix)
      .map((json) => JsonParser.deserialize(json, fix))
      .filter((value) => value !== undefined);
  }

  /** `text` as an array of `elementsType` values, of exactly `length` items when given (not 0). */
  validateList<V extends ValueType>(
    text: string,
    elementsType: V,
    length?: number,
    fix = true,
  ): ValueOf<V>[] | undefined {
    const value = JsonParser.deserialize(text, fix);
    if (!Array.isArray(value) || !value.every((item) => isValueOfType(item, elementsType))) {
      return undefined;
    }
    return lengthMatches(value.length, length) ? (value as ValueOf<V>[]) : undefined;
  }

  /** `text` as a set of `elementsType` values (duplicates merged), of `length` items when given. */
  validateSet<V extends ValueType>(
    text: string,
    elementsType: V,
    length?: number,
    fix = true,
  ): Set<ValueOf<V>> | undefined {
    const items = this.validateList(text, elementsType, undefined, fix);
    if (!items) return undefined;
    const set = new Set(items);
    return lengthMatches(set.size, length) ? set : undefined;
  }

  /**
   * `text` as an object whose keys read as `keyType` and whose values are `valueType`, of exactly
   * `length` entries when given (not 0). Keys stay strings, as JSON keys are.
   */
  validateDict<V extends ValueType>(
    text: string,
    keyType: Exclude<ValueType, "float">,
    valueType: V,
    length?: number,
    fix = true,
  ): Record<string, ValueOf<V>> | undefined {
    const value = JsonParser.deserialize(text, fix);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const entries = Object.entries(value);
    const valid = entries.every(
      ([key, item]) => isKeyOfType(key, keyType) && isValueOfType(item, valueType),
    );
    if (!valid || !lengthMatches(entries.length, length)) return undefined;
    return value as Record<string, ValueOf<V>>;
  }
}
