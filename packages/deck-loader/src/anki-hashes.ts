import { createHash } from "node:crypto";

// genanki's base-91 alphabet: ASCII letters, digits, then these.
const BASE91 = `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_\`{|}~`;

/**
 * The note GUID genanki derives from field values: SHA-256 of the values joined by `__`, first
 * 8 bytes as an integer, written in base 91. Stable across exports of the same data.
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

/** Anki's `stripHTMLMedia`: tags removed, media references kept as their file names. */
export function stripHtml(html: string): string {
  return html
    .replace(/<img[^>]*src=["']?([^"'>]+)["']?[^>]*>/gi, " $1 ")
    .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/gi, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .trim();
}

/** Anki's note checksum: the first 8 hex digits of the SHA-1 of the stripped first field. */
export function fieldChecksum(field: string): number {
  return Number.parseInt(
    createHash("sha1").update(stripHtml(field), "utf8").digest("hex").slice(0, 8),
    16,
  );
}
