/** `deck.yaml`. */
export interface DeckConfig {
  name: string;
  description: string;
  deck_id: number;
  author?: string | null;
}

/** `models/<model>/fields.yaml`. */
export interface ModelConfig {
  model_id: number;
  fields: string[];
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
  /** Absolute paths of `models/<model>/media/*`. */
  mediaFiles: string[];
}

/** One note of a built deck. */
export interface DeckNote {
  /** Field values in the model's field order. */
  fields: string[];
  /** genanki-compatible GUID from the field values. */
  guid: string;
  /** Value of the sort field (the first). */
  sortField: string;
  /** Anki's checksum of the first field. */
  checksum: number;
  /** Template ordinals that produce a card (their front renders non-empty). */
  cardOrdinals: number[];
}

/** A model of a built deck, with its notes. */
export interface DeckModel extends ModelData {
  /** The templates' CSS combined, as the original does. */
  css: string;
  notes: DeckNote[];
}

/** Everything an `.apkg` holds, in memory. */
export interface BuiltDeck {
  config: DeckConfig;
  models: DeckModel[];
  /** Media by the file name used inside the package. */
  media: { name: string; path: string }[];
}

/** Progress of a long operation, for a progress bar. */
export interface ProgressEvent {
  phase: "load" | "notes" | "media" | "write";
  done: number;
  total: number;
}
