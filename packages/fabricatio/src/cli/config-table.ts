import path from "node:path";
import type { Provenance } from "@fabricatio/config";

// Longer values still print whole; they only stop widening the value column.
const MAX_VALUE_COLUMN = 48;

/** `routing.providers = [{…}, {…}]` as one row per field: `routing.providers[0].name`. */
function rows(entry: Provenance): [key: string, value: unknown][] {
  const { path: key, value } = entry;
  if (!Array.isArray(value) || !value.some((item) => item && typeof item === "object")) {
    return [[key, value]];
  }
  const expanded: [string, unknown][] = [];
  value.forEach((item, index) => {
    const itemKey = `${key}[${index}]`;
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      expanded.push([itemKey, item]);
      return;
    }
    const fields = Object.entries(item as Record<string, unknown>);
    if (fields.length === 0) expanded.push([itemKey, {}]);
    for (const [field, fieldValue] of fields) expanded.push([`${itemKey}.${field}`, fieldValue]);
  });
  return expanded.length > 0 ? expanded : [[key, value]];
}

/** A file under the working folder as a relative path; other sources as they are. */
function shortSource(source: string, cwd: string): string {
  if (!path.isAbsolute(source)) return source;
  const relative = path.relative(cwd, source);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : source;
}

/**
 * The human form of `fabricatio config`: a table of every key with its value (as JSON, secrets
 * already redacted by `Config.explain()`) and its source, arrays of tables (`routing.providers`)
 * one row per field. Files under `cwd` are named relative to it.
 */
export function formatConfigTable(entries: readonly Provenance[], cwd: string): string {
  const table = entries.flatMap((entry) =>
    rows(entry).map(([key, value]) => [
      key,
      JSON.stringify(value) ?? "null",
      shortSource(entry.source, cwd),
    ]),
  );
  const header = ["KEY", "VALUE", "SOURCE"];
  const keyWidth = Math.max(header[0]!.length, ...table.map(([key]) => key!.length));
  const valueWidth = Math.min(
    MAX_VALUE_COLUMN,
    Math.max(header[1]!.length, ...table.map(([, value]) => value!.length)),
  );
  return [header, ...table]
    .map(
      ([key, value, source]) => `${key!.padEnd(keyWidth)}  ${value!.padEnd(valueWidth)}  ${source}`,
    )
    .join("\n")
    .concat("\n");
}
