import { HTML4_ENTITIES } from "./html4-entities.js";

/**
 * Anki's `decode_entities`: HTML character references decoded, then non-breaking spaces turned
 * into plain spaces. Anki's decoder is strict: when any `&` does not start a well-formed
 * reference (`&name;`, `&#123;`, `&#x7b;`) the text is returned untouched, and so it is here.
 */
export function decodeEntities(html: string): string {
  if (!html.includes("&")) return html;
  let decoded = "";
  let index = 0;
  for (;;) {
    const ampersand = html.indexOf("&", index);
    if (ampersand < 0) break;
    const semicolon = html.indexOf(";", ampersand + 1);
    if (semicolon < 0) return html;
    const character = decodeReference(html.slice(ampersand + 1, semicolon));
    if (character === undefined) return html;
    decoded += html.slice(index, ampersand) + character;
    index = semicolon + 1;
  }
  decoded += html.slice(index);
  return decoded.replaceAll("\u00a0", " ");
}

function decodeReference(body: string): string | undefined {
  const decimal = /^#(\d+)$/.exec(body);
  const hexadecimal = /^#x([0-9a-fA-F]+)$/.exec(body);
  const codePoint = decimal
    ? Number.parseInt(decimal[1]!, 10)
    : hexadecimal
      ? Number.parseInt(hexadecimal[1]!, 16)
      : Object.hasOwn(HTML4_ENTITIES, body)
        ? HTML4_ENTITIES[body]
        : undefined;
  if (codePoint === undefined) return undefined;
  // Rust's char::from_u32 refuses surrogates and values past the last code point.
  if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return undefined;
  return String.fromCodePoint(codePoint);
}
