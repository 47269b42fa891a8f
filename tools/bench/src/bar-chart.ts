/** One bar: a contender's value, or `undefined` when it could not run. */
export interface Bar {
  label: string;
  value: number | undefined;
  /** Draw this bar in the highlight colour (thryd). */
  highlight?: boolean;
  /** Shown instead of a bar when `value` is undefined. @default "did not run" */
  note?: string;
}

/** A group of bars under one heading (one concurrency, one text, ...). */
export interface BarGroup {
  label: string;
  bars: readonly Bar[];
}

/** Options of {@link renderBarChart}. */
export interface BarChartOptions {
  title: string;
  /** Unit after each value label, e.g. "req/s". */
  unit: string;
  groups: readonly BarGroup[];
  /** Decimals of the value labels. @default 0 */
  digits?: number;
  /** Logarithmic axis, for values spanning orders of magnitude. @default false */
  logScale?: boolean;
  /** A dashed vertical line at this value (a goal, 1.0 for an accuracy). */
  reference?: { value: number; label: string };
}

const WIDTH = 900;
const LABEL_WIDTH = 250;
const VALUE_WIDTH = 130;
const BAR_HEIGHT = 18;
const BAR_GAP = 4;
const GROUP_GAP = 18;
const TOP = 48;

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * A horizontal grouped bar chart as a standalone SVG document, drawn with plain shapes and text so
 * any SVG renderer (resvg) turns it into the same PNG.
 */
export function renderBarChart({
  title,
  unit,
  groups,
  digits = 0,
  logScale = false,
  reference,
}: BarChartOptions): string {
  const values = groups.flatMap((group) =>
    group.bars.map((bar) => bar.value).filter((value): value is number => value !== undefined),
  );
  const max = Math.max(...values, reference?.value ?? 0, Number.MIN_VALUE);
  const positive = values.filter((value) => value > 0);
  const min = logScale ? Math.min(...positive, reference?.value ?? Infinity) / 2 : 0;
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
  const scale = (value: number) => {
    if (value <= 0) return 0;
    if (!logScale) return (value / max) * plotWidth;
    const span = Math.log10(max) - Math.log10(min);
    return span > 0 ? ((Math.log10(value) - Math.log10(min)) / span) * plotWidth : plotWidth;
  };
  const parts: string[] = [];
  let y = TOP;
  for (const group of groups) {
    parts.push(
      `<text x="10" y="${y + 12}" font-size="13" font-weight="bold">${escapeXml(group.label)}</text>`,
    );
    y += 20;
    for (const bar of group.bars) {
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + 13}" font-size="12" text-anchor="end">${escapeXml(bar.label)}</text>`,
      );
      if (bar.value === undefined) {
        parts.push(
          `<text x="${LABEL_WIDTH + 4}" y="${y + 13}" font-size="12" fill="#888">${escapeXml(bar.note ?? "did not run")}</text>`,
        );
      } else {
        const width = Math.max(1, scale(bar.value));
        const fill = bar.highlight ? "#d9480f" : "#4c6ef5";
        const text = `${bar.value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
        parts.push(
          `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${fill}"/>`,
          `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + 13}" font-size="12">${escapeXml(text)}</text>`,
        );
      }
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  if (reference) {
    const x = (LABEL_WIDTH + scale(reference.value)).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${y - GROUP_GAP}" stroke="#2b8a3e" stroke-dasharray="5,4" stroke-width="1.5"/>`,
      `<text x="${x}" y="${TOP - 10}" font-size="11" fill="#2b8a3e" text-anchor="middle">${escapeXml(reference.label)}</text>`,
    );
  }
  const height = y + 10;
  const axis = logScale ? " (log scale)" : "";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="16" font-weight="bold">${escapeXml(title + axis)}</text>`,
    ...parts,
    "</svg>",
  ].join("\n");
}
