import { mkdirSync } from "node:fs";
import { DeckIoError } from "../errors/deck-io-error.js";

/** Creates `folder` and its parents if needed. @throws {DeckIoError} naming `folder` */
export function ensureFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new DeckIoError("create the folder", folder, error);
  }
}
