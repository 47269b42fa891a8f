/** Column alignment of {@link renderTable}. */
export type Align = "left" | "right";

/** A GitHub-flavoured markdown table; `align` defaults to left for the first column, right after. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly Align[],
): string {
  const alignOf = (index: number) => align?.[index] ?? (index === 0 ? "left" : "right");
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const rule = headers.map((_, index) => (alignOf(index) === "right" ? "---:" : "---"));
  return [line(headers), line(rule), ...rows.map(line)].join("\n");
}

/** Number with thousands separators and a fixed number of decimals; "n/a" for NaN. */
export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

/** A ratio as `1.23×`; "n/a" when either side is missing. */
export function formatRatio(numerator: number, denominator: number): string {
  const ratio = numerator / denominator;
  return Number.isFinite(ratio) && denominator !== 0 ? `${formatNumber(ratio, 2)}×` : "n/a";
}

/** One named measurement; `undefined` when the contender could not run. */
export interface NamedValue<T = number> {
  name: string;
  value: T | undefined;
}

/**
 * A square table of ratios: the cell in row A, column B is `ratio(A, B)` (A's value divided by
 * B's by default), so a row of numbers above 1.0 is a contender ahead of every other when higher is
 * better.
 */
export function renderRatioMatrix<T = number>(
  values: readonly NamedValue<T>[],
  ratio: (row: T, column: T) => number = (row, column) => Number(row) / Number(column),
): string {
  const headers = ["÷", ...values.map((entry) => entry.name)];
  const rows = values.map((row) => [
    row.name,
    ...values.map((column) =>
      row.value === undefined || column.value === undefined
        ? "n/a"
        : row === column
          ? "1"
          : formatRatio(ratio(row.value, column.value), 1),
    ),
  ]);
  return renderTable(headers, rows);
}
