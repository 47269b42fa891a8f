import { parse as parseCsv } from "csv-parse/sync";
import { CsvFieldCountError } from "./errors/csv-field-count-error.js";
import { CsvHeaderError } from "./errors/csv-header-error.js";
import { DeckConfigError } from "./errors/deck-config-error.js";
import { DeckIoError } from "./errors/deck-io-error.js";
import { InvalidFieldValueError } from "./errors/invalid-field-value-error.js";
import { hasSystemCode, readBytes } from "./files/read-project-file.js";
import type { RowLocation } from "./types.js";

/** One data row of a model's CSV, mapped onto the model's fields. */
export interface CsvRow {
  location: RowLocation;
  /** Values in the model's field order. */
  values: string[];
  /** The 1-based CSV column of each field. */
  columns: number[];
  /** The row's `guid` cell, when the CSV has a guid column and the cell is not empty. */
  guid: string | undefined;
}

/** The column name that carries a note's GUID, when no field has that name. */
export const GUID_COLUMN = "guid";

// Control characters Anki removes from fields (U+001F is its field separator); tab and newline stay.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what is refused
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

function describeCharacter(character: string): string {
  const code = character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return code === "001F"
    ? "U+001F, Anki's field separator"
    : `U+${code}, a control character Anki removes`;
}

interface Record {
  cells: string[];
  line: number;
}

function parseRecords(file: string): Record[] | undefined {
  let bytes: Buffer;
  try {
    bytes = readBytes(file);
  } catch (error) {
    if (error instanceof DeckIoError && hasSystemCode(error.cause, "ENOENT")) return undefined;
    throw error;
  }
  try {
    const records = parseCsv(bytes, {
      bom: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    // csv-parse reports the line where a record ends; a quoted cell may hold line breaks.
    return records.map(({ record, info }) => ({
      cells: record,
      line: info.lines - (record.join("").match(/\r\n|\n|\r/g)?.length ?? 0),
    }));
  } catch (error) {
    throw new DeckConfigError(
      file,
      `not valid CSV: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
}

/** Maps header cells to field indexes (exact name first, then ignoring case) and the guid column. */
function mapHeader(file: string, header: readonly string[], fields: readonly string[]) {
  const fieldAt = new Map<number, number>();
  let guidAt: number | undefined;
  const unknown: string[] = [];
  const repeated: string[] = [];
  const taken = new Set<number>();
  const hasGuidField = fields.some((field) => field.toLowerCase() === GUID_COLUMN);
  header.forEach((raw, column) => {
    const name = raw.trim();
    let index = fields.indexOf(name);
    if (index < 0) {
      const folded = fields.flatMap((field, at) =>
        field.toLowerCase() === name.toLowerCase() ? [at] : [],
      );
      if (folded.length === 1) index = folded[0]!;
    }
    if (index >= 0) {
      if (taken.has(index)) repeated.push(name);
      taken.add(index);
      fieldAt.set(column, index);
    } else if (!hasGuidField && name.toLowerCase() === GUID_COLUMN) {
      if (guidAt !== undefined) repeated.push(name);
      guidAt = column;
    } else {
      unknown.push(name);
    }
  });
  const missing = fields.filter((_, index) => !taken.has(index));
  if (missing.length > 0 || unknown.length > 0 || repeated.length > 0)
    throw new CsvHeaderError({ path: file, missing, unknown, repeated });
  return { fieldAt, guidAt };
}

function cleanCell(
  cell: string,
  location: RowLocation,
  column: number,
  columnName: string,
): string {
  // Line breaks inside a quoted cell become \n, as Anki stores them.
  const value = cell.replace(/\r\n?/g, "\n");
  const control = CONTROL.exec(value);
  if (control)
    throw new InvalidFieldValueError({
      row: location,
      column,
      columnName,
      detail: `contains ${describeCharacter(control[0])}, at character ${control.index + 1}`,
    });
  return value;
}

/**
 * Reads `data/<model>.csv` (RFC 4180: quotes, embedded commas and line breaks, a BOM, any line
 * ending). With `header`, the first row names the columns: fields in any order, matched by name,
 * plus an optional `guid` column; without it every row holds the fields in the model's order.
 * Returns no rows when the file does not exist.
 * @throws {CsvHeaderError} | {CsvFieldCountError} | {InvalidFieldValueError} | {DeckConfigError} |
 * {DeckIoError}
 */
export function readModelCsv({
  file,
  fields,
  header,
}: {
  file: string;
  fields: readonly string[];
  header: boolean;
}): CsvRow[] {
  const records = parseRecords(file);
  if (!records || records.length === 0) return [];
  const mapping = header
    ? mapHeader(file, records[0]!.cells, fields)
    : { fieldAt: new Map(fields.map((_, index) => [index, index])), guidAt: undefined };
  const width = header ? records[0]!.cells.length : fields.length;
  return records.slice(header ? 1 : 0).map(({ cells, line }) => {
    const location = { path: file, line };
    if (cells.length !== width) throw new CsvFieldCountError(file, line, width, cells.length);
    const values = new Array<string>(fields.length).fill("");
    const columns = new Array<number>(fields.length).fill(0);
    for (const [column, index] of mapping.fieldAt) {
      values[index] = cleanCell(cells[column]!, location, column + 1, fields[index]!);
      columns[index] = column + 1;
    }
    let guid: string | undefined;
    if (mapping.guidAt !== undefined) {
      const cell = cleanCell(
        cells[mapping.guidAt]!,
        location,
        mapping.guidAt + 1,
        GUID_COLUMN,
      ).trim();
      if (/\s/.test(cell))
        throw new InvalidFieldValueError({
          row: location,
          column: mapping.guidAt + 1,
          columnName: GUID_COLUMN,
          detail: `holds ${JSON.stringify(cell)}: a GUID has no white space`,
        });
      guid = cell === "" ? undefined : cell;
    }
    return { location, values, columns, guid };
  });
}
