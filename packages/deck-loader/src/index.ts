export { AnkiDeckLoader, PROJECT_LAYOUT } from "./anki-deck-loader.js";
export { fieldChecksum, guidFor, stripHtml } from "./anki-hashes.js";
export type { ProjectTemplateOptions } from "./create-project-template.js";
export { createProjectTemplate } from "./create-project-template.js";
export {
  CsvFieldCountError,
  DeckConfigError,
  DeckFileNotFoundError,
  DeckLoaderError,
  DuplicateMediaError,
  DuplicateModelIdError,
  isDeckLoaderError,
} from "./errors.js";
export type { ApkgContents } from "./read-apkg.js";
export { readApkg } from "./read-apkg.js";
export { renderTemplate } from "./render-template.js";
export type {
  BuiltDeck,
  DeckConfig,
  DeckModel,
  DeckNote,
  ModelConfig,
  ModelData,
  ProgressEvent,
  TemplateConfig,
} from "./types.js";
export { writeApkg } from "./write-apkg.js";
