import { readFileSync } from "node:fs";
import { type ParseError, parse as parseJsonc, printParseErrorCode } from "jsonc-parser";
import { parse as parseToml, TomlError } from "smol-toml";
import { ConfigFileError, ConfigParseError } from "./errors.js";

// A UTF-8 byte order mark is not part of the text (editors on Windows write one).
const BYTE_ORDER_MARK = /^\uFEFF/;

/**
 * The text of a configuration file, or `undefined` when there is none.
 * @throws {ConfigFileError} when the path is a directory or cannot be read
 */
export function readConfigFile(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").replace(BYTE_ORDER_MARK, "");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "EISDIR") throw new ConfigFileError(file, "is a directory, not a file", error);
    if (code === "ENOTDIR") return undefined;
    throw new ConfigFileError(file, `cannot be read (${code ?? String(error)})`, error);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r?\n/);
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Parses TOML.
 * @throws {ConfigParseError} naming the file, line and column
 */
export function loadToml(file: string, text: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const detail = error.message.split("\n")[0] ?? "invalid TOML";
      throw new ConfigParseError(file, error.line, error.column, detail, error);
    }
    throw new ConfigParseError(file, undefined, undefined, String(error), error);
  }
}

/**
 * Parses JSON strictly (no comments, no trailing commas).
 * @throws {ConfigParseError} naming the file, line and column
 */
export function loadJson(file: string, text: string): unknown {
  // JSON.parse on Node 20 often reports no position; jsonc-parser always reports the offset.
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineAndColumn(text, first.offset);
    throw new ConfigParseError(
      file,
      line,
      column,
      `invalid JSON: ${printParseErrorCode(first.error)}`,
    );
  }
  return value;
}

/** The `[tool.fabricatio]` table of a pyproject.toml, or `null` when it has none. */
export function loadPyprojectTable(file: string, text: string): Record<string, unknown> | null {
  const tool = loadToml(file, text).tool as Record<string, unknown> | undefined;
  const table = tool?.fabricatio;
  return table && typeof table === "object" ? (table as Record<string, unknown>) : null;
}
