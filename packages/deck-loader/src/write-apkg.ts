import { zipSync } from "fflate";
import { readBytes } from "./files/read-project-file.js";
import { writeFileAtomic } from "./files/write-file-atomic.js";
import { sqlite } from "./sqlite.js";
import type { BuiltDeck, ProgressEvent } from "./types.js";

// The collection schema genanki writes (Anki schema 11).
const SCHEMA = `
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null, ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null, models text not null, decks text not null, dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null, usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null, mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null, ivl integer not null, factor integer not null, reps integer not null, lapses integer not null, left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
`;

const DEFAULT_CONF = {
  activeDecks: [1],
  curDeck: 1,
  newSpread: 0,
  collapseTime: 1200,
  timeLim: 0,
  estTimes: true,
  dueCounts: true,
  curModel: null,
  nextPos: 1,
  sortType: "noteFld",
  sortBackwards: false,
  addToCur: true,
};

const DEFAULT_DCONF = {
  1: {
    autoplay: true,
    id: 1,
    lapse: { delays: [10], leechAction: 0, leechFails: 8, minInt: 1, mult: 0 },
    maxTaken: 60,
    mod: 0,
    name: "Default",
    new: {
      bury: true,
      delays: [1, 10],
      initialFactor: 2500,
      ints: [1, 4, 7],
      order: 1,
      perDay: 20,
      separate: true,
    },
    replayq: true,
    rev: { bury: true, ease4: 1.3, fuzz: 0.05, ivlFct: 1, maxIvl: 36500, minSpace: 1, perDay: 100 },
    timer: 0,
    usn: 0,
  },
};

function deckJson(id: number, name: string, description: string, modS: number) {
  return {
    collapsed: false,
    conf: 1,
    desc: description,
    dyn: 0,
    extendNew: 0,
    extendRev: 50,
    id,
    lrnToday: [0, 0],
    mod: modS,
    name,
    newToday: [0, 0],
    revToday: [0, 0],
    timeToday: [0, 0],
    usn: -1,
  };
}

const LATEX_PRE =
  "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n";

/**
 * Writes `deck` as an Anki package: a zip holding `collection.anki2` (SQLite with the schema and
 * `col` JSON genanki writes: models with `type` and `req`, decks, dconf, conf), the `media` JSON
 * map and the numbered media files. Written atomically (temporary sibling, flushed, renamed); a
 * symbolic link at `outputPath` keeps pointing to the new file.
 * @throws {DeckIoError} naming `outputPath` or the media file that could not be read
 */
export async function writeApkg(
  deck: BuiltDeck,
  outputPath: string,
  {
    onProgress,
    now = Date.now,
  }: { onProgress?: (event: ProgressEvent) => void; now?: () => number } = {},
): Promise<void> {
  const SQL = await sqlite();
  const database = new SQL.Database();
  try {
    database.run(SCHEMA);
    const modS = Math.floor(now() / 1000);
    const deckId = deck.config.deck_id;
    const models = Object.fromEntries(
      deck.models.map((model) => [
        String(model.config.model_id),
        {
          css: model.css,
          did: deckId,
          flds: model.config.fields.map((name, ord) => ({
            font: "Liberation Sans",
            media: [],
            name,
            ord,
            rtl: false,
            size: 20,
            sticky: false,
          })),
          id: String(model.config.model_id),
          latexPost: "\\end{document}",
          latexPre: LATEX_PRE,
          latexsvg: false,
          mod: modS,
          name: model.name,
          req: model.requirements,
          sortf: 0,
          tags: [],
          tmpls: model.templates.map((template, ord) => ({
            afmt: template.back,
            bafmt: "",
            bqfmt: "",
            did: null,
            name: template.name,
            ord,
            qfmt: template.front,
          })),
          type: model.config.type === "cloze" ? 1 : 0,
          usn: -1,
          vers: [],
        },
      ]),
    );
    const decks = {
      1: deckJson(1, "Default", "", 0),
      [deckId]: deckJson(deckId, deck.config.name, deck.config.description, modS),
    };
    database.run("INSERT INTO col VALUES(null, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')", [
      modS,
      now(),
      now(),
      JSON.stringify(DEFAULT_CONF),
      JSON.stringify(models),
      JSON.stringify(decks),
      JSON.stringify(DEFAULT_DCONF),
    ]);

    const total = deck.models.reduce((sum, model) => sum + model.notes.length, 0);
    let nextId = now();
    let done = 0;
    database.run("BEGIN");
    const insertNote = database.prepare(
      "INSERT INTO notes VALUES(?, ?, ?, ?, -1, '', ?, ?, ?, 0, '')",
    );
    const insertCard = database.prepare(
      "INSERT INTO cards VALUES(?, ?, ?, ?, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')",
    );
    let due = 0;
    for (const model of deck.models) {
      for (const note of model.notes) {
        const noteId = nextId++;
        insertNote.run([
          noteId,
          note.guid,
          model.config.model_id,
          modS,
          note.fields.join("\x1f"),
          note.sortField,
          note.checksum,
        ]);
        for (const ordinal of note.cardOrdinals)
          insertCard.run([nextId++, noteId, deckId, ordinal, modS, due]);
        due += 1;
        done += 1;
        if (done % 1000 === 0 || done === total) onProgress?.({ phase: "notes", done, total });
      }
    }
    insertNote.free();
    insertCard.free();
    database.run("COMMIT");

    const entries: Record<string, Uint8Array> = { "collection.anki2": database.export() };
    const mediaMap: Record<string, string> = {};
    deck.media.forEach((media, index) => {
      mediaMap[String(index)] = media.name;
      entries[String(index)] = readBytes(media.path);
      onProgress?.({ phase: "media", done: index + 1, total: deck.media.length });
    });
    entries.media = new TextEncoder().encode(JSON.stringify(mediaMap));
    // Media are mostly compressed already (images, audio): store them, deflate the rest.
    const zipped = zipSync(
      Object.fromEntries(
        Object.entries(entries).map(([name, data]) => [
          name,
          [data, { level: /^\d+$/.test(name) ? 0 : 6 }],
        ]),
      ),
    );
    writeFileAtomic(outputPath, zipped);
    onProgress?.({ phase: "write", done: 1, total: 1 });
  } finally {
    database.close();
  }
}
