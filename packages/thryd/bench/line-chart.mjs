// A log-log line chart as a standalone SVG document, drawn with plain shapes and text in the
// manner of tools/bench's bar chart (same fonts, colours and resvg rendering), so any SVG renderer
// turns it into the same PNG. thryd cannot import tools/bench (that package depends on thryd).
import { writeFileSync } from "node:fs";

const WIDTH = 900;
const HEIGHT = 520;
const LEFT = 80;
const RIGHT = 200;
const TOP = 56;
const BOTTOM = 60;
const COLOURS = ["#d9480f", "#4c6ef5", "#2b8a3e", "#ae3ec9", "#f59f00", "#1098ad"];

function escapeXml(text) {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

const decades = (min, max) => {
  const ticks = [];
  for (let power = Math.floor(Math.log10(min)); power <= Math.ceil(Math.log10(max)); power++) {
    ticks.push(10 ** power);
  }
  return ticks;
};

const label = (value) =>
  value >= 1
    ? value.toLocaleString("en-US")
    : value.toLocaleString("en-US", { maximumSignificantDigits: 1 });

/**
 * Renders `series` (each `{ label, points: [{ x, y }], dashed?, colour? }`, `colour` an index
 * into the palette, default the series' own) on log axes, with optional
 * `targets` (`{ x, y, label }`) drawn as hollow diamonds. Returns the SVG text.
 */
export function renderLineChart({ title, xLabel, yLabel, series, targets = [] }) {
  const points = series.flatMap((entry) => entry.points);
  const xs = points.map((point) => point.x);
  const ys = [...points.map((point) => point.y), ...targets.map((target) => target.y)];
  const xTicks = decades(Math.min(...xs), Math.max(...xs));
  const yTicks = decades(Math.min(...ys), Math.max(...ys));
  const [xMin, xMax] = [xTicks[0], xTicks.at(-1)];
  const [yMin, yMax] = [yTicks[0], yTicks.at(-1)];
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const px = (x) =>
    LEFT + ((Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * plotWidth;
  const py = (y) =>
    TOP +
    plotHeight -
    ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin) || 1)) * plotHeight;
  const parts = [];
  for (const tick of xTicks) {
    const x = px(tick).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${TOP}" x2="${x}" y2="${TOP + plotHeight}" stroke="#e9ecef"/>`,
      `<text x="${x}" y="${TOP + plotHeight + 18}" font-size="12" text-anchor="middle">${label(tick)}</text>`,
    );
  }
  for (const tick of yTicks) {
    const y = py(tick).toFixed(1);
    parts.push(
      `<line x1="${LEFT}" y1="${y}" x2="${LEFT + plotWidth}" y2="${y}" stroke="#e9ecef"/>`,
      `<text x="${LEFT - 8}" y="${(Number(y) + 4).toFixed(1)}" font-size="12" text-anchor="end">${label(tick)}</text>`,
    );
  }
  parts.push(
    `<rect x="${LEFT}" y="${TOP}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#868e96"/>`,
    `<text x="${LEFT + plotWidth / 2}" y="${HEIGHT - 16}" font-size="13" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="18" y="${TOP + plotHeight / 2}" font-size="13" text-anchor="middle" transform="rotate(-90 18 ${TOP + plotHeight / 2})">${escapeXml(yLabel)}</text>`,
  );
  series.forEach((entry, index) => {
    const colour = COLOURS[(entry.colour ?? index) % COLOURS.length];
    const dash = entry.dashed ? ` stroke-dasharray="6,4"` : "";
    const path = entry.points
      .map((point) => `${px(point.x).toFixed(1)},${py(point.y).toFixed(1)}`)
      .join(" ");
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`,
    );
    for (const point of entry.points) {
      parts.push(
        `<circle cx="${px(point.x).toFixed(1)}" cy="${py(point.y).toFixed(1)}" r="3" fill="${colour}"/>`,
      );
    }
    const legendY = TOP + 10 + index * 20;
    parts.push(
      `<line x1="${LEFT + plotWidth + 12}" y1="${legendY}" x2="${LEFT + plotWidth + 36}" y2="${legendY}" stroke="${colour}" stroke-width="2"${dash}/>`,
      `<text x="${LEFT + plotWidth + 42}" y="${legendY + 4}" font-size="12">${escapeXml(entry.label)}</text>`,
    );
  });
  for (const target of targets) {
    const x = px(target.x);
    const y = py(target.y);
    parts.push(
      `<polygon points="${x},${y - 7} ${x + 7},${y} ${x},${y + 7} ${x - 7},${y}" fill="none" stroke="#212529" stroke-width="1.5"/>`,
      `<text x="${x - 10}" y="${y - 8}" font-size="11" fill="#212529" text-anchor="end">${escapeXml(target.label)}</text>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="16" font-weight="bold">${escapeXml(title)} (log-log)</text>`,
    ...parts,
    "</svg>",
  ].join("\n");
}

/** Renders an SVG document to a PNG file with resvg and the system fonts, as tools/bench does. */
export async function writePng(svg, file) {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    background: "#ffffff",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, resvg.render().asPng());
  const { renameSync } = await import("node:fs");
  renameSync(temporary, file);
}
