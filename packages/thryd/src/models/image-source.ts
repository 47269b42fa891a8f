/** An image of a request, split the way native APIs want it. */
export type ImageSource =
  | { type: "base64"; mimeType: string; data: string }
  | { type: "url"; url: string; mimeType: string };

const DATA_URI = /^data:([^;,]+)?((?:;[^;,]*)*?);base64,(.*)$/s;

const EXTENSION_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  heif: "image/heif",
  pdf: "application/pdf",
};

/**
 * Splits a request image (a base64 `data:` URI, e.g. from `bytesToDataUri`, or a URL) into its
 * MIME type and data. A URL's type is guessed from its extension, `image/jpeg` when unknown:
 * Gemini requires one and the URL alone rarely says.
 */
export function toImageSource(image: string): ImageSource {
  const match = DATA_URI.exec(image);
  if (match) {
    return { type: "base64", mimeType: match[1] ?? "application/octet-stream", data: match[3]! };
  }
  let extension = "";
  try {
    extension = new URL(image).pathname.split(".").at(-1)?.toLowerCase() ?? "";
  } catch {
    extension = "";
  }
  return { type: "url", url: image, mimeType: EXTENSION_TYPES[extension] ?? "image/jpeg" };
}
