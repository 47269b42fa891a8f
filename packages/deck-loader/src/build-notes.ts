import { fieldChecksum, noteGuid } from "./anki-hashes.js";
import { DuplicateNoteError } from "./errors/duplicate-note-error.js";
import { EmptyKeyError } from "./errors/empty-key-error.js";
import { EmptyNoteError } from "./errors/empty-note-error.js";
import type { CsvRow } from "./read-model-csv.js";
import { rendersWithFields } from "./template/card-requirements.js";
import { clozeCardOrdinals } from "./template/cloze.js";
import type { TemplateNode } from "./template/parse-template.js";
import { fieldIsEmpty, stripHtml } from "./text/strip-html.js";
import type {
  DeckNote,
  DeckWarning,
  DuplicatePolicy,
  EmptyRowPolicy,
  ModelConfig,
} from "./types.js";

/** The notes already built in a deck, by GUID (GUIDs are global to a collection). */
export type NotesByGuid = Map<string, { note: DeckNote; modelId: number; identity: string }>;

function cardOrdinals(config: ModelConfig, fronts: readonly TemplateNode[][], values: string[]) {
  if (config.type === "cloze") return clozeCardOrdinals(values);
  const nonEmpty = new Set(config.fields.filter((_, index) => !fieldIsEmpty(values[index]!)));
  return fronts.flatMap((front, ordinal) => (rendersWithFields(front, nonEmpty) ? [ordinal] : []));
}

function emptyReason(config: ModelConfig, values: string[]): string {
  if (config.type === "cloze") return "no field has a cloze deletion such as {{c1::text}}";
  const empty = config.fields.filter((_, index) => fieldIsEmpty(values[index]!));
  return `no template's front has content; empty field(s): ${empty.join(", ")}`;
}

/**
 * Turns a model's CSV rows into notes: cards as Anki would make them, a GUID from the `guid`
 * cell or the key field, Anki's sort field and checksum. Rows that make no card and rows that
 * repeat a note (same GUID, in any model) are errors, or handled by the given policies.
 * @throws {EmptyNoteError} | {EmptyKeyError} | {DuplicateNoteError}
 */
export function buildNotes({
  config,
  fronts,
  rows,
  duplicates,
  emptyRows,
  notesByGuid,
  warnings,
}: {
  config: ModelConfig;
  fronts: readonly TemplateNode[][];
  rows: readonly CsvRow[];
  duplicates: DuplicatePolicy;
  emptyRows: EmptyRowPolicy;
  notesByGuid: NotesByGuid;
  warnings: DeckWarning[];
}): DeckNote[] {
  const notes: DeckNote[] = [];
  const keyIndex = config.fields.indexOf(config.key_field);
  for (const row of rows) {
    const ordinals = cardOrdinals(config, fronts, row.values);
    if (ordinals.length === 0) {
      const reason = emptyReason(config, row.values);
      if (emptyRows === "error") throw new EmptyNoteError(row.location, reason);
      warnings.push({
        code: "DECK_EMPTY_ROW_SKIPPED",
        message: `${row.location.path}:${row.location.line}: skipped, the row makes no card (${reason})`,
      });
      continue;
    }
    const key = row.values[keyIndex]!;
    if (row.guid === undefined && fieldIsEmpty(key))
      throw new EmptyKeyError(row.location, config.key_field);
    const guid = row.guid ?? noteGuid(config.model_id, key);
    const identity =
      row.guid === undefined
        ? `key field "${config.key_field}" = ${JSON.stringify(key)}`
        : `guid ${JSON.stringify(row.guid)}`;
    const note: DeckNote = {
      fields: row.values,
      guid,
      sortField: stripHtml(row.values[0]!),
      checksum: fieldChecksum(row.values[0]!),
      cardOrdinals: ordinals,
      row: row.location,
    };
    const previous = notesByGuid.get(guid);
    if (previous === undefined) {
      notesByGuid.set(guid, { note, modelId: config.model_id, identity });
      notes.push(note);
      continue;
    }
    // Notes of two note types cannot be merged into one.
    if (duplicates === "error" || previous.modelId !== config.model_id)
      throw new DuplicateNoteError(previous.note.row, row.location, identity);
    warnings.push({
      code: "DECK_DUPLICATE_MERGED",
      message: `${row.location.path}:${row.location.line} replaces ${previous.note.row.path}:${previous.note.row.line}, the same note (${identity})`,
    });
    Object.assign(previous.note, note);
  }
  return notes;
}
