type Signature = { mime: string; matches: (bytes: Uint8Array) => boolean };

const ISO_BRANDS: Readonly<Record<string, string>> = {
  heic: "image/heic",
  heix: "image/heic",
  hevc: "image/heic",
  hevx: "image/heic",
  mif1: "image/heif",
  msf1: "image/heif",
  heim: "image/heif",
  heis: "image/heif",
  avif: "image/avif",
  avis: "image/avif",
  "M4A ": "audio/mp4",
  "M4B ": "audio/mp4",
  "qt  ": "video/quicktime",
};

// Ordered: a more specific signature comes before a shorter one it shares a prefix with (Canon
// CR2 before TIFF, ADTS AAC before MPEG audio frames, Opus before plain Ogg).
const SIGNATURES: readonly Signature[] = [
  { mime: "image/png", matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]) },
  { mime: "image/jpeg", matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { mime: "image/gif", matches: (b) => ascii(b, 0, 4) === "GIF8" },
  { mime: "image/webp", matches: (b) => riff(b, "WEBP") },
  {
    mime: "image/x-canon-cr2",
    matches: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) && ascii(b, 8, 10) === "CR",
  },
  { mime: "image/tiff", matches: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) },
  { mime: "image/tiff", matches: (b) => startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) },
  { mime: "image/bmp", matches: (b) => ascii(b, 0, 2) === "BM" },
  { mime: "image/vnd.ms-photo", matches: (b) => startsWith(b, [0x49, 0x49, 0xbc]) },
  { mime: "image/vnd.adobe.photoshop", matches: (b) => ascii(b, 0, 4) === "8BPS" },
  { mime: "image/vnd.microsoft.icon", matches: (b) => startsWith(b, [0x00, 0x00, 0x01, 0x00]) },
  {
    mime: "image/jp2",
    matches: (b) =>
      startsWith(b, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]),
  },
  {
    mime: "image/jxl",
    matches: (b) =>
      startsWith(b, [0xff, 0x0a]) ||
      startsWith(b, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a]),
  },
  { mime: "application/pdf", matches: (b) => ascii(b, 0, 5) === "%PDF-" },
  { mime: "audio/wav", matches: (b) => riff(b, "WAVE") },
  {
    mime: "audio/aiff",
    matches: (b) => ascii(b, 0, 4) === "FORM" && ["AIFF", "AIFC"].includes(ascii(b, 8, 12)),
  },
  { mime: "audio/flac", matches: (b) => ascii(b, 0, 4) === "fLaC" },
  {
    mime: "audio/opus",
    matches: (b) => ascii(b, 0, 4) === "OggS" && ascii(b, 28, 36) === "OpusHead",
  },
  { mime: "audio/ogg", matches: (b) => ascii(b, 0, 4) === "OggS" },
  { mime: "audio/midi", matches: (b) => ascii(b, 0, 4) === "MThd" },
  { mime: "audio/amr", matches: (b) => ascii(b, 0, 5) === "#!AMR" },
  { mime: "audio/aac", matches: (b) => b[0] === 0xff && (b[1] === 0xf1 || b[1] === 0xf9) },
  { mime: "audio/mpeg", matches: (b) => ascii(b, 0, 3) === "ID3" },
  {
    mime: "audio/mpeg",
    matches: (b) => b[0] === 0xff && (b[1] === 0xfb || b[1] === 0xf3 || b[1] === 0xf2),
  },
  { mime: "video/webm", matches: (b) => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3]) },
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((value, index) => bytes[index] === value);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

function riff(bytes: Uint8Array, format: string): boolean {
  return ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === format;
}

/** The type of an ISO base media file (`ftyp` box): HEIF/HEIC/AVIF images, M4A audio, MP4/MOV. */
function isoMediaType(bytes: Uint8Array): string | undefined {
  if (ascii(bytes, 4, 8) !== "ftyp") return undefined;
  return ISO_BRANDS[ascii(bytes, 8, 12)] ?? "video/mp4";
}

/**
 * The MIME type sniffed from the leading bytes, `application/octet-stream` when unknown. Knows the
 * breadth the original's `infer`-based sniffing covers for model inputs: images (PNG, JPEG, GIF,
 * WebP, BMP, TIFF, Canon CR2, JPEG XR, PSD, ICO, JPEG 2000, JPEG XL, HEIC/HEIF, AVIF), PDF, audio
 * (WAV, AIFF, FLAC, Ogg, Opus, MIDI, AMR, AAC, MP3, M4A) and MP4/QuickTime/WebM video.
 */
export function sniffMimeType(bytes: Uint8Array): string {
  return (
    isoMediaType(bytes) ??
    SIGNATURES.find((signature) => signature.matches(bytes))?.mime ??
    "application/octet-stream"
  );
}

/** Encodes bytes as a `data:<mime>;base64,…` URI, the MIME type sniffed from the bytes. */
export function bytesToDataUri(bytes: Uint8Array): string {
  return `data:${sniffMimeType(bytes)};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")}`;
}
