import { createHash } from "node:crypto";
import { stripHtml } from "./text/strip-html.js";

// Anki's and genanki's base-91 alphabet: ASCII letters, digits, then these.
const BASE91 = `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_\`{|}~`;

/**
 * genanki's `guid_for(*values)`: the SHA-256 of the values joined by `__`, its first 8 bytes as an
 * unsigned integer, written in Anki's base 91 (at most 10 characters).
 */
export function guidFor(...values: readonly string[]): string {
  const digest = createHash("sha256").update(values.join("__"), "utf8").digest();
  let value = digest.readBigUInt64BE(0);
  let text = "";
  while (value > 0n) {
    text = BASE91[Number(value % 91n)]! + text;
    value /= 91n;
  }
  return text;
}

/**
 * The GUID of a note without a `guid` column: `guidFor(String(modelId), key)` with the key field's
 * value in Unicode NFC. It identifies the note, not its text: editing any other field keeps it, so
 * Anki updates the note on re-import; one key in two note types gives two GUIDs.
 */
export function noteGuid(modelId: number, key: string): string {
  return guidFor(String(modelId), key.normalize("NFC"));
}

/**
 * Anki's note checksum (`csum`): the first 4 bytes (8 hex digits) of the SHA-1 of the first field
 * after {@link stripHtml}, as an unsigned integer.
 */
export function fieldChecksum(field: string): number {
  return createHash("sha1").update(stripHtml(field), "utf8").digest().readUInt32BE(0);
}
