// Opens an .apkg the way Anki's importer reads it, written from Anki's schema and rules, not from
// this package: unzip, open collection.anki2 with SQLite, parse the JSON columns, and list what
// Anki would drop or reject. Shares no code with src/ so it can serve as an outside oracle.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import initSqlJs from "sql.js";

/** Anki's base-91 alphabet (rslib/src/notes/mod.rs `anki_base91`, pylib `base91`), verbatim. */
export const ANKI_BASE91 =
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";

export interface AnkiModel {
  id: string | number;
  name: string;
  type: number;
  sortf: number;
  flds: { name: string; ord: number }[];
  tmpls: { name: string; ord: number; qfmt: string; afmt: string }[];
  req: [number, string, number[]][];
  css: string;
}

export interface AnkiNote {
  id: number;
  guid: string;
  mid: number;
  fields: string[];
  sfld: string;
  csum: number;
}

export interface AnkiPackage {
  version: number;
  models: Record<string, AnkiModel>;
  decks: Record<string, { id: number; name: string; desc: string }>;
  notes: AnkiNote[];
  cards: { id: number; nid: number; did: number; ord: number }[];
  media: Record<string, string>;
  mediaBytes: Record<string, Uint8Array>;
  /** Ordinals of each note's cards, by GUID. */
  cardsByGuid: Record<string, number[]>;
  /** What Anki would lose, reject or repair on import or in Check Database; empty when none. */
  problems: string[];
}

/** Anki's checksum by its definition: the first 8 hex digits of the SHA-1 of the text, as an integer. */
export function ankiChecksum(strippedSortField: string): number {
  return Number.parseInt(
    createHash("sha1").update(strippedSortField, "utf8").digest("hex").slice(0, 8),
    16,
  );
}

export async function openAsAnki(file: string): Promise<AnkiPackage> {
  const entries = unzipSync(readFileSync(file));
  const problems: string[] = [];
  const collection = entries["collection.anki2"];
  if (!collection) throw new Error(`${file}: no collection.anki2`);
  const SQL = await initSqlJs();
  const database = new SQL.Database(collection);
  const rows = (sql: string): Record<string, unknown>[] => {
    const [result] = database.exec(sql);
    if (!result) return [];
    return result.values.map((values) =>
      Object.fromEntries(result.columns.map((column, index) => [column, values[index]])),
    );
  };
  try {
    const cols = rows("SELECT ver, models, decks, dconf, conf FROM col");
    if (cols.length !== 1) problems.push(`col has ${cols.length} rows`);
    const col = cols[0]!;
    const models = JSON.parse(String(col.models)) as Record<string, AnkiModel>;
    const decks = JSON.parse(String(col.decks)) as AnkiPackage["decks"];
    JSON.parse(String(col.dconf));
    JSON.parse(String(col.conf));
    for (const [id, model] of Object.entries(models)) {
      if (String(model.id) !== id) problems.push(`model ${id} has id ${model.id}`);
      if (model.type !== 0 && model.type !== 1) problems.push(`model ${id} has type ${model.type}`);
      model.flds.forEach((field, ord) => {
        if (field.ord !== ord)
          problems.push(`model ${id} field ${field.name} has ord ${field.ord}`);
      });
      if (new Set(model.flds.map((field) => field.name.toLowerCase())).size !== model.flds.length)
        problems.push(`model ${id} repeats a field name`);
      if (model.type === 1 && model.tmpls.length !== 1)
        problems.push(`cloze model ${id} has ${model.tmpls.length} templates`);
      if (!Array.isArray(model.req) || model.req.length !== model.tmpls.length)
        problems.push(`model ${id}: req does not have one entry per template`);
      for (const entry of model.req ?? []) {
        const [ord, kind, fields] = entry;
        if (!["any", "all", "none"].includes(kind)) problems.push(`model ${id}: req kind ${kind}`);
        if (ord >= model.tmpls.length)
          problems.push(`model ${id}: req for missing template ${ord}`);
        if (fields.some((field) => field >= model.flds.length))
          problems.push(`model ${id}: req names a missing field`);
      }
    }
    const notes: AnkiNote[] = rows(
      "SELECT id, guid, mid, flds, sfld, csum FROM notes ORDER BY id",
    ).map((row) => ({
      id: Number(row.id),
      guid: String(row.guid),
      mid: Number(row.mid),
      fields: String(row.flds).split("\x1f"),
      sfld: String(row.sfld),
      csum: Number(row.csum),
    }));
    const cards = rows("SELECT id, nid, did, ord FROM cards ORDER BY id").map((row) => ({
      id: Number(row.id),
      nid: Number(row.nid),
      did: Number(row.did),
      ord: Number(row.ord),
    }));
    const seenGuids = new Set<string>();
    const cardsByGuid: Record<string, number[]> = {};
    for (const note of notes) {
      const model = models[String(note.mid)];
      if (!model) {
        problems.push(`note ${note.guid}: no note type ${note.mid}`);
        continue;
      }
      // The importer matches notes by GUID: a second note with a GUID already seen is skipped.
      if (seenGuids.has(note.guid))
        problems.push(`note ${note.guid}: GUID repeated, Anki skips it`);
      seenGuids.add(note.guid);
      if (note.guid === "") problems.push(`note ${note.id}: empty GUID`);
      if (note.fields.length !== model.flds.length)
        problems.push(
          `note ${note.guid}: ${note.fields.length} fields, its type has ${model.flds.length}`,
        );
      // biome-ignore lint/suspicious/noControlCharactersInRegex: Anki strips these from fields
      if (note.fields.some((field) => /[\u0000-\u0008\u000b-\u001f\u007f]/.test(field)))
        problems.push(`note ${note.guid}: a field holds a control character Anki strips`);
      if (model.sortf === 0 && note.csum !== ankiChecksum(note.sfld))
        problems.push(
          `note ${note.guid}: csum ${note.csum} is not Anki's checksum of its sort field`,
        );
      const own = cards.filter((card) => card.nid === note.id).map((card) => card.ord);
      if (own.length === 0) problems.push(`note ${note.guid}: no card, Check Database deletes it`);
      if (new Set(own).size !== own.length)
        problems.push(`note ${note.guid}: two cards with one ordinal`);
      for (const ord of own)
        if (model.type === 0 ? ord >= model.tmpls.length : ord > 499)
          problems.push(`note ${note.guid}: card ordinal ${ord} has no template`);
      cardsByGuid[note.guid] = own.sort((a, b) => a - b);
    }
    for (const card of cards) {
      if (!notes.some((note) => note.id === card.nid)) problems.push(`card ${card.id}: no note`);
      if (!decks[String(card.did)]) problems.push(`card ${card.id}: no deck ${card.did}`);
    }
    const media = JSON.parse(new TextDecoder().decode(entries.media ?? new Uint8Array())) as Record<
      string,
      string
    >;
    const mediaBytes: Record<string, Uint8Array> = {};
    for (const [entry, name] of Object.entries(media)) {
      const bytes = entries[entry];
      if (!bytes) problems.push(`media ${name}: zip entry ${entry} is missing`);
      else mediaBytes[name] = bytes;
    }
    return {
      version: Number(col.ver),
      models,
      decks,
      notes,
      cards,
      media,
      mediaBytes,
      cardsByGuid,
      problems,
    };
  } finally {
    database.close();
  }
}
