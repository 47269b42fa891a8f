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

  it("sniffs PDF, audio and ISO media as the original's infer-based sniffing does", () => {
    const bytes = (text: string, ...prefix: number[]) =>
      Uint8Array.from([...prefix, ...new TextEncoder().encode(text)]);
    const cases: [Uint8Array, string][] = [
      [bytes("%PDF-1.7\n"), "application/pdf"],
      [bytes("RIFF\0\0\0\0WAVEfmt "), "audio/wav"],
      [bytes("ID3\u0004\0"), "audio/mpeg"],
      [Uint8Array.from([0xff, 0xfb, 0x90, 0x64]), "audio/mpeg"],
      [Uint8Array.from([0xff, 0xf1, 0x50, 0x80]), "audio/aac"],
      [bytes('fLaC\0\0\0"'), "audio/flac"],
      [bytes("OggS\0\u0002\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0OpusHead"), "audio/opus"],
      [bytes("OggS\0\u0002"), "audio/ogg"],
      [bytes("FORM\0\0\0\0AIFF"), "audio/aiff"],
      [bytes("MThd\0\0\0\u0006"), "audio/midi"],
      [bytes("#!AMR\n"), "audio/amr"],
      [bytes("ftypM4A \0\0\0\0", 0, 0, 0, 0x20), "audio/mp4"],
      [bytes("ftypheic\0\0\0\0", 0, 0, 0, 0x18), "image/heic"],
      [bytes("ftypavif\0\0\0\0", 0, 0, 0, 0x1c), "image/avif"],
      [bytes("ftypisom\0\0\u0002\0", 0, 0, 0, 0x20), "video/mp4"],
      [bytes("8BPS\0\u0001"), "image/vnd.adobe.photoshop"],
      [Uint8Array.from([0, 0, 1, 0, 1, 0, 16, 16]), "image/vnd.microsoft.icon"],
      [bytes("BM6\0\0\0"), "image/bmp"],
      [Uint8Array.from([0x49, 0x49, 0x2a, 0, 0x10, 0, 0, 0, 0x43, 0x52]), "image/x-canon-cr2"],
      [Uint8Array.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]), "image/tiff"],
      [Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3]), "video/webm"],
    ];
    for (const [input, mime] of cases) expect([mime, sniffMimeType(input)]).toEqual([mime, mime]);
  });
});
