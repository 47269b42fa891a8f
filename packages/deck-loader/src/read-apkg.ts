import { unzipSync } from "fflate";
import { DeckConfigError } from "./errors/deck-config-error.js";
import { readBytes } from "./files/read-project-file.js";
import { sqlite } from "./sqlite.js";

/** What an `.apkg` holds, read back. */
export interface ApkgContents {
  /** `col.models`, by model id. */
  models: Record<
    string,
    {
      name: string;
      /** 0 standard, 1 cloze. */
      type: number;
      sortf: number;
      flds: { name: string; ord: number }[];
      tmpls: { name: string; ord: number; qfmt: string; afmt: string }[];
      css: string;
      req: [number, "any" | "all" | "none", number[]][];
    }
  >;
  /** `col.decks`, by deck id. */
  decks: Record<string, { name: string; desc: string }>;
  notes: { id: number; guid: string; mid: number; fields: string[]; sfld: string; csum: number }[];
  cards: { id: number; nid: number; did: number; ord: number }[];
  /** The `media` map: zip entry name → file name. */
  media: Record<string, string>;
  /** Media bytes by file name. */
  mediaFiles: Record<string, Uint8Array>;
  /** Names of the tables in collection.anki2. */
  tables: string[];
}

/**
 * Reads an Anki package back (zip, then SQLite): for tests and for checking exports.
 * @throws {DeckIoError} when the file cannot be read; {DeckConfigError} when it is no package
 */
export async function readApkg(file: string): Promise<ApkgContents> {
  const entries = unzipSync(readBytes(file));
  const collection = entries["collection.anki2"];
  if (!collection) throw new DeckConfigError(file, "not an Anki package: no collection.anki2");
  const SQL = await sqlite();
  const database = new SQL.Database(collection);
  try {
    const rows = (sql: string) => {
      const [result] = database.exec(sql);
      if (!result) return [];
      return result.values.map((values) =>
        Object.fromEntries(result.columns.map((column, index) => [column, values[index]])),
      );
    };
    const [col] = rows("SELECT models, decks FROM col");
    const media = JSON.parse(new TextDecoder().decode(entries.media ?? new Uint8Array())) as Record<
      string,
      string
    >;
    return {
      models: JSON.parse(String(col?.models ?? "{}")),
      decks: JSON.parse(String(col?.decks ?? "{}")),
      notes: rows("SELECT id, guid, mid, flds, sfld, csum FROM notes ORDER BY id").map((row) => ({
        id: Number(row.id),
        guid: String(row.guid),
        mid: Number(row.mid),
        fields: String(row.flds).split("\x1f"),
        sfld: String(row.sfld),
        csum: Number(row.csum),
      })),
      cards: rows("SELECT id, nid, did, ord FROM cards ORDER BY id").map((row) => ({
        id: Number(row.id),
        nid: Number(row.nid),
        did: Number(row.did),
        ord: Number(row.ord),
      })),
      media,
      mediaFiles: Object.fromEntries(
        Object.entries(media).map(([entry, name]) => [name, entries[entry] ?? new Uint8Array()]),
      ),
      tables: rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((row) =>
        String(row.name),
      ),
    };
  } finally {
    database.close();
  }
}
