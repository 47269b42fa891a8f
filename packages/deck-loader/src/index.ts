export { AnkiDeckLoader, PROJECT_LAYOUT } from "./anki-deck-loader.js";
export { fieldChecksum, guidFor, noteGuid } from "./anki-hashes.js";
export type { ProjectTemplateOptions, ProjectTemplateResult } from "./create-project-template.js";
export { createProjectTemplate } from "./create-project-template.js";
export { CsvFieldCountError } from "./errors/csv-field-count-error.js";
export { CsvHeaderError } from "./errors/csv-header-error.js";
export { DeckConfigError } from "./errors/deck-config-error.js";
export { DeckFileNotFoundError } from "./errors/deck-file-not-found-error.js";
export { DeckIoError } from "./errors/deck-io-error.js";
export { DeckLoaderError, isDeckLoaderError } from "./errors/deck-loader-error.js";
export { DuplicateMediaError } from "./errors/duplicate-media-error.js";
export { DuplicateModelIdError } from "./errors/duplicate-model-id-error.js";
export { DuplicateNoteError } from "./errors/duplicate-note-error.js";
export { EmptyKeyError } from "./errors/empty-key-error.js";
export { EmptyNoteError } from "./errors/empty-note-error.js";
export { InvalidFieldNameError } from "./errors/invalid-field-name-error.js";
export { InvalidFieldValueError } from "./errors/invalid-field-value-error.js";
export { InvalidNameError } from "./errors/invalid-name-error.js";
export { MediaLinkError } from "./errors/media-link-error.js";
export { ProjectExistsError } from "./errors/project-exists-error.js";
export { TemplateError } from "./errors/template-error.js";
export { fieldNameProblem, validateFieldNames } from "./field-names.js";
export type { ApkgContents } from "./read-apkg.js";
export { readApkg } from "./read-apkg.js";
export { cardRequirement, rendersWithFields } from "./template/card-requirements.js";
export { clozeCardOrdinals, clozeNumbers } from "./template/cloze.js";
export type { TemplateNode } from "./template/parse-template.js";
export { parseTemplate } from "./template/parse-template.js";
export type { RenderTemplateOptions } from "./template/render-template.js";
export { renderTemplate } from "./template/render-template.js";
export { fieldIsEmpty, stripHtml } from "./text/strip-html.js";
export type {
  BuildDeckOptions,
  BuiltDeck,
  CardRequirement,
  DeckConfig,
  DeckModel,
  DeckNote,
  DeckWarning,
  DuplicatePolicy,
  EmptyRowPolicy,
  ModelConfig,
  ModelData,
  NoteTypeKind,
  ProgressEvent,
  RowLocation,
  TemplateConfig,
} from "./types.js";
export { writeApkg } from "./write-apkg.js";
