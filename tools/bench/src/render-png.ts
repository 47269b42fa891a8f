import { writeFileSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";

/** Renders an SVG document to a PNG file with resvg, using the system fonts. */
export function writePng(svg: string, file: string): void {
  const resvg = new Resvg(svg, {
    background: "#ffffff",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  writeFileSync(file, resvg.render().asPng());
}
