import { type Dirent, readdirSync, readFileSync } from "node:fs";
import { DeckFileNotFoundError } from "../errors/deck-file-not-found-error.js";
import { DeckIoError } from "../errors/deck-io-error.js";

function systemCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** Whether `error` is a Node file-system error with this code. */
export function hasSystemCode(error: unknown, code: string): boolean {
  return systemCode(error) === code;
}

/**
 * The text of a file the project needs.
 * @throws {DeckFileNotFoundError} when it does not exist; {DeckIoError} for any other failure
 */
export function readProjectText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if (hasSystemCode(error, "ENOENT")) throw new DeckFileNotFoundError(file, what);
    throw new DeckIoError("read", file, error);
  }
}

/** The text of an optional file, or undefined when it does not exist. @throws {DeckIoError} */
export function readOptionalText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if (hasSystemCode(error, "ENOENT")) return undefined;
    throw new DeckIoError("read", file, error);
  }
}

/** The bytes of a file. @throws {DeckIoError} */
export function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new DeckIoError("read", file, error);
  }
}

/** The entries of a folder, sorted by name; none when it does not exist. @throws {DeckIoError} */
export function listFolder(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch (error) {
    if (hasSystemCode(error, "ENOENT")) return [];
    throw new DeckIoError("list", folder, error);
  }
}
