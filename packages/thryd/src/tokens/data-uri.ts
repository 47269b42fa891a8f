const SIGNATURES: readonly { mime: string; matches: (bytes: Uint8Array) => boolean }[] = [
  { mime: "image/png", matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]) },
  { mime: "image/jpeg", matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { mime: "image/gif", matches: (b) => startsWith(b, [0x47, 0x49, 0x46, 0x38]) },
  {
    mime: "image/webp",
    matches: (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && ascii(b, 8, 12) === "WEBP",
  },
  { mime: "image/bmp", matches: (b) => startsWith(b, [0x42, 0x4d]) },
  { mime: "image/tiff", matches: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) },
  { mime: "image/tiff", matches: (b) => startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) },
  { mime: "application/pdf", matches: (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46]) },
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((value, index) => bytes[index] === value);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** The MIME type sniffed from the leading bytes, `application/octet-stream` when unknown. */
export function sniffMimeType(bytes: Uint8Array): string {
  return (
    SIGNATURES.find((signature) => signature.matches(bytes))?.mime ?? "application/octet-stream"
  );
}

/** Encodes bytes as a `data:<mime>;base64,…` URI, the MIME type sniffed from the bytes. */
export function bytesToDataUri(bytes: Uint8Array): string {
  return `data:${sniffMimeType(bytes)};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")}`;
}
