/** `deck.yaml`. */
export interface DeckConfig {
  name: string;
  description: string;
  deck_id: number;
  author?: string | null;
}

/** A standard note type (one card per template whose front renders) or a cloze note type. */
export type NoteTypeKind = "standard" | "cloze";

/** What to do with two rows that identify one note: fail, or keep the last with a warning. */
export type DuplicatePolicy = "error" | "merge";

/** What to do with a row that would make no card: fail, or skip it with a warning. */
export type EmptyRowPolicy = "error" | "skip";

/** `models/<model>/fields.yaml`, with its defaults filled in. */
export interface ModelConfig {
  model_id: number;
  /** Field names, validated as Anki's editor validates them. */
  fields: string[];
  /** `type: cloze` makes one card per cloze number. @default "standard" */
  type: NoteTypeKind;
  /** The field whose value identifies a note (its GUID) when the row has no `guid`. @default the first field */
  key_field: string;
  /** Whether `data/<model>.csv` starts with a header row naming the fields. @default true */
  header: boolean;
  /** @default "error" */
  duplicates: DuplicatePolicy;
  /** @default "error" */
  empty_rows: EmptyRowPolicy;
}

/** One card template: `models/<model>/templates/<name>/{front.html,back.html,style.css}`. */
export interface TemplateConfig {
  name: string;
  front: string;
  back: string;
  css: string;
}

/** A model with its templates and media. */
export interface ModelData {
  name: string;
  config: ModelConfig;
  templates: TemplateConfig[];
  /** Absolute paths of `models/<model>/media/*` (symbolic links inside the project followed). */
  mediaFiles: string[];
}

/** Where a row is: the CSV file and the 1-based line it starts on. */
export interface RowLocation {
  path: string;
  line: number;
}

/**
 * One entry of a note type's `req`, as Anki stores it: the card ordinal, then whether "any" or
 * "all" of the listed field ordinals must be non-empty for the card to exist ("none": never).
 */
export type CardRequirement = [
  ordinal: number,
  kind: "any" | "all" | "none",
  fieldOrdinals: number[],
];

/** One note of a built deck. */
export interface DeckNote {
  /** Field values in the model's field order. */
  fields: string[];
  /** The note's identity: the row's `guid`, else {@link noteGuid} of the model id and key field. */
  guid: string;
  /** Anki's sort field (`sfld`): the first field with HTML stripped. */
  sortField: string;
  /** Anki's checksum (`csum`) of the first field. */
  checksum: number;
  /** Card ordinals: templates whose front renders (standard), or cloze numbers - 1 (cloze). */
  cardOrdinals: number[];
  /** The row the note comes from (the last one, when duplicates were merged). */
  row: RowLocation;
}

/** A model of a built deck, with its notes. */
export interface DeckModel extends ModelData {
  /** The templates' CSS combined, as the original does. */
  css: string;
  /** `req`, computed from the templates as Anki computes it. */
  requirements: CardRequirement[];
  notes: DeckNote[];
}

/** Something the export did that the user should know about; never an error. */
export interface DeckWarning {
  /** `DECK_DUPLICATE_MERGED`, `DECK_EMPTY_ROW_SKIPPED` or `DECK_UNKNOWN_FILTER`. */
  code: string;
  message: string;
}

/** Everything an `.apkg` holds, in memory. */
export interface BuiltDeck {
  config: DeckConfig;
  models: DeckModel[];
  /** Media by the file name used inside the package. */
  media: { name: string; path: string }[];
  /** Merged duplicates, skipped rows and unknown template filters; also logged. */
  warnings: DeckWarning[];
}

/** Progress of a long operation, for a progress bar. */
export interface ProgressEvent {
  phase: "load" | "notes" | "media" | "write";
  done: number;
  total: number;
}

/** Options of `buildDeck` and `exportDeck`. */
export interface BuildDeckOptions {
  onProgress?: (event: ProgressEvent) => void;
  /** Overrides every model's `duplicates`. */
  duplicates?: DuplicatePolicy;
  /** Overrides every model's `empty_rows`. */
  emptyRows?: EmptyRowPolicy;
}
