import { describe, expect, it } from "vitest";
import { bytesToDataUri, sniffMimeType } from "./data-uri.js";

describe("bytesToDataUri", () => {
  it("sniffs PNG and JPEG and falls back to octet-stream", () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytesToDataUri(png)).toBe(
      `data:image/png;base64,${Buffer.from(png).toString("base64")}`,
    );
    expect(sniffMimeType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffMimeType(Uint8Array.from([1, 2, 3]))).toBe("application/octet-stream");
  });

  it("recognises WebP by its RIFF container tag", () => {
    const webp = new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 ");
    expect(sniffMimeType(webp)).toBe("image/webp");
  });
});
