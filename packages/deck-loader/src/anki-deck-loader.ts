import path from "node:path";
import { getLogger } from "@fabricatio/logger";
import { parse as parseYaml } from "yaml";
import { buildNotes, type NotesByGuid } from "./build-notes.js";
import { DeckConfigError } from "./errors/deck-config-error.js";
import { DeckFileNotFoundError } from "./errors/deck-file-not-found-error.js";
import { DuplicateMediaError } from "./errors/duplicate-media-error.js";
import { DuplicateModelIdError } from "./errors/duplicate-model-id-error.js";
import { TemplateError } from "./errors/template-error.js";
import { validateFieldNames } from "./field-names.js";
import { ensureFolder } from "./files/ensure-folder.js";
import { mediaFiles } from "./files/media-files.js";
import {
  listFolder,
  readBytes,
  readOptionalText,
  readProjectText,
} from "./files/read-project-file.js";
import { writeFileAtomic } from "./files/write-file-atomic.js";
import { validateName } from "./names.js";
import { readModelCsv } from "./read-model-csv.js";
import { cardRequirement } from "./template/card-requirements.js";
import { checkModelTemplates } from "./template/check-model-templates.js";
import type {
  BuildDeckOptions,
  BuiltDeck,
  DeckConfig,
  DeckModel,
  DeckWarning,
  ModelConfig,
  ModelData,
  TemplateConfig,
} from "./types.js";
import { writeApkg } from "./write-apkg.js";

/** Names of the project layout, as the original's. */
export const PROJECT_LAYOUT = Object.freeze({
  MODELS_DIR: "models",
  TEMPLATE_DIR: "templates",
  DATA_DIR: "data",
  MEDIA_DIR: "media",
  DECK_FILE: "deck.yaml",
  FIELDS_FILE: "fields.yaml",
  TEMPLATE_FRONT: "front.html",
  TEMPLATE_BACK: "back.html",
  TEMPLATE_CSS: "style.css",
});

const MODEL_KEYS = new Set([
  "model_id",
  "fields",
  "type",
  "key_field",
  "header",
  "duplicates",
  "empty_rows",
]);

const logger = getLogger("deck-loader:loader");

function readYaml(file: string, what: string): Record<string, unknown> {
  const text = readProjectText(file, what);
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new DeckConfigError(
      file,
      `not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      error,
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new DeckConfigError(file, "expected a mapping");
  return data as Record<string, unknown>;
}

function oneOf<T extends string>(
  file: string,
  data: Record<string, unknown>,
  key: string,
  values: readonly T[],
  fallback: T,
): T {
  const value = data[key] ?? fallback;
  if (!values.includes(value as T))
    throw new DeckConfigError(
      file,
      `${key} must be ${values.map((item) => JSON.stringify(item)).join(" or ")}, not ${JSON.stringify(value)}`,
    );
  return value as T;
}

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function parseModelConfig(file: string, data: Record<string, unknown>): ModelConfig {
  if (!isId(data.model_id)) throw new DeckConfigError(file, "model_id must be a positive integer");
  if (
    !Array.isArray(data.fields) ||
    data.fields.length === 0 ||
    !data.fields.every((field) => typeof field === "string")
  )
    throw new DeckConfigError(file, "fields must be a non-empty list of names");
  const fields = data.fields as string[];
  validateFieldNames(file, fields);
  const keyField = data.key_field ?? fields[0];
  if (typeof keyField !== "string" || !fields.includes(keyField))
    throw new DeckConfigError(
      file,
      `key_field must be one of the fields (${fields.join(", ")}), not ${JSON.stringify(keyField)}`,
    );
  if (data.header !== undefined && typeof data.header !== "boolean")
    throw new DeckConfigError(file, "header must be true or false");
  const unknown = Object.keys(data).filter((key) => !MODEL_KEYS.has(key));
  if (unknown.length > 0)
    throw new DeckConfigError(
      file,
      `unknown key(s) ${unknown.join(", ")}; known: ${[...MODEL_KEYS].join(", ")}`,
    );
  return {
    model_id: data.model_id,
    fields,
    type: oneOf(file, data, "type", ["standard", "cloze"], "standard"),
    key_field: keyField,
    header: (data.header as boolean | undefined) ?? true,
    duplicates: oneOf(file, data, "duplicates", ["error", "merge"], "error"),
    empty_rows: oneOf(file, data, "empty_rows", ["error", "skip"], "error"),
  };
}

/** Loads an Anki deck project folder and exports it as an `.apkg`. */
export class AnkiDeckLoader {
  constructor(readonly projectPath: string) {}

  /**
   * `deck.yaml`: `name`, `description`, `deck_id`, optional `author`.
   * @throws {DeckFileNotFoundError} | {DeckConfigError} | {DeckIoError}
   */
  loadDeckConfig(): DeckConfig {
    const file = path.join(this.projectPath, PROJECT_LAYOUT.DECK_FILE);
    const data = readYaml(file, "deck.yaml");
    if (typeof data.name !== "string" || data.name.trim() === "")
      throw new DeckConfigError(file, "name must be a non-empty string");
    if (!isId(data.deck_id)) throw new DeckConfigError(file, "deck_id must be a positive integer");
    return {
      name: data.name,
      description: typeof data.description === "string" ? data.description : "",
      deck_id: data.deck_id,
      author: typeof data.author === "string" ? data.author : null,
    };
  }

  /** The model folders under `models/`, sorted. @throws {DeckIoError} */
  getAvailableModels(): string[] {
    return listFolder(path.join(this.projectPath, PROJECT_LAYOUT.MODELS_DIR))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  }

  /**
   * A model's `fields.yaml` (validated: field names as Anki's editor checks them, `type`,
   * `key_field`, `header`, `duplicates`, `empty_rows`), its templates and media.
   * @throws {DeckFileNotFoundError} | {DeckConfigError} | {InvalidFieldNameError} |
   * {InvalidNameError} | {TemplateError} | {MediaLinkError} | {DeckIoError}
   */
  loadModelData(model: string): ModelData {
    return this.#loadModel(model).data;
  }

  #loadModel(model: string): {
    data: ModelData;
    fronts: ReturnType<typeof checkModelTemplates>["fronts"];
    warnings: DeckWarning[];
  } {
    validateName("model name", model);
    const folder = path.join(this.projectPath, PROJECT_LAYOUT.MODELS_DIR, model);
    const fieldsFile = path.join(folder, PROJECT_LAYOUT.FIELDS_FILE);
    const config = parseModelConfig(fieldsFile, readYaml(fieldsFile, "fields.yaml"));
    const templatesFolder = path.join(folder, PROJECT_LAYOUT.TEMPLATE_DIR);
    const templates: TemplateConfig[] = listFolder(templatesFolder)
      .filter((entry) => entry.isDirectory())
      .map(({ name }) => {
        const read = (file: string) => {
          const text = readOptionalText(path.join(templatesFolder, name, file));
          if (text === undefined)
            throw new TemplateError(
              path.join(templatesFolder, name, file),
              `${file} is missing: every template needs a front and a back`,
            );
          return text;
        };
        return {
          name,
          front: read(PROJECT_LAYOUT.TEMPLATE_FRONT),
          back: read(PROJECT_LAYOUT.TEMPLATE_BACK),
          css:
            readOptionalText(path.join(templatesFolder, name, PROJECT_LAYOUT.TEMPLATE_CSS)) ?? "",
        };
      });
    const { fronts, warnings } = checkModelTemplates({ templatesFolder, config, templates });
    for (const warning of warnings) logger.warn(warning.message);
    return {
      data: {
        name: model,
        config,
        templates,
        mediaFiles: mediaFiles(path.join(folder, PROJECT_LAYOUT.MEDIA_DIR), this.projectPath),
      },
      fronts,
      warnings,
    };
  }

  #csvFile(model: string): string {
    return path.join(this.projectPath, PROJECT_LAYOUT.DATA_DIR, `${model}.csv`);
  }

  /**
   * The rows of `data/<model>.csv` as field values in the model's order (a header row is mapped
   * by name; see `header` in fields.yaml); none when the file is missing.
   * @throws the errors of `loadModelData`, {CsvHeaderError} | {CsvFieldCountError} |
   * {InvalidFieldValueError} | {DeckConfigError}
   */
  loadCsvData(model: string): string[][] {
    const { config } = this.loadModelData(model);
    return readModelCsv({
      file: this.#csvFile(model),
      fields: config.fields,
      header: config.header,
    }).map((row) => row.values);
  }

  /**
   * Copies a CSV file to `data/<model>.csv` (atomically).
   * @throws {InvalidNameError} | {DeckFileNotFoundError} when the source does not exist | {DeckIoError}
   */
  addCsvData(model: string, csvPath: string): void {
    validateName("model name", model);
    let bytes: Buffer;
    try {
      bytes = readBytes(csvPath);
    } catch (error) {
      if ((error as { systemCode?: string }).systemCode === "ENOENT")
        throw new DeckFileNotFoundError(csvPath, "CSV file");
      throw error;
    }
    ensureFolder(path.join(this.projectPath, PROJECT_LAYOUT.DATA_DIR));
    writeFileAtomic(this.#csvFile(model), bytes);
  }

  /**
   * Loads and validates the whole project: notes with their GUIDs and cards, `req`, media.
   * @throws {DeckFileNotFoundError} | {DeckConfigError} | {CsvHeaderError} | {CsvFieldCountError}
   * | {InvalidFieldValueError} | {InvalidFieldNameError} | {TemplateError} | {EmptyNoteError} |
   * {EmptyKeyError} | {DuplicateNoteError} | {DuplicateModelIdError} | {DuplicateMediaError} |
   * {MediaLinkError} | {DeckIoError}
   */
  buildDeck(options: BuildDeckOptions = {}): BuiltDeck {
    const config = this.loadDeckConfig();
    const names = this.getAvailableModels();
    if (names.length === 0)
      throw new DeckConfigError(
        path.join(this.projectPath, PROJECT_LAYOUT.MODELS_DIR),
        "the project has no model: add models/<model>/fields.yaml and a template",
      );
    const models: DeckModel[] = [];
    const warnings: DeckWarning[] = [];
    const byId = new Map<number, string>();
    const notesByGuid: NotesByGuid = new Map();
    names.forEach((name, index) => {
      const { data, fronts, warnings: templateWarnings } = this.#loadModel(name);
      warnings.push(...templateWarnings);
      const previous = byId.get(data.config.model_id);
      if (previous !== undefined)
        throw new DuplicateModelIdError(data.config.model_id, [previous, name]);
      byId.set(data.config.model_id, name);
      const rows = readModelCsv({
        file: this.#csvFile(name),
        fields: data.config.fields,
        header: data.config.header,
      });
      const before = warnings.length;
      const notes = buildNotes({
        config: data.config,
        fronts,
        rows,
        duplicates: options.duplicates ?? data.config.duplicates,
        emptyRows: options.emptyRows ?? data.config.empty_rows,
        notesByGuid,
        warnings,
      });
      for (const warning of warnings.slice(before)) logger.warn(warning.message);
      models.push({
        ...data,
        css: data.templates.map((template) => template.css).join("\n"),
        requirements: fronts.map((front, ordinal) =>
          cardRequirement(ordinal, front, data.config.fields),
        ),
        notes,
      });
      options.onProgress?.({ phase: "load", done: index + 1, total: names.length });
    });
    return { config, models, media: this.#collectMedia(models), warnings };
  }

  #collectMedia(models: readonly DeckModel[]): { name: string; path: string }[] {
    const all = [
      ...models.flatMap((model) => model.mediaFiles),
      ...mediaFiles(path.join(this.projectPath, PROJECT_LAYOUT.MEDIA_DIR), this.projectPath),
    ];
    const byName = new Map<string, string>();
    for (const file of all) {
      const name = path.basename(file);
      const previous = byName.get(name);
      if (previous !== undefined) throw new DuplicateMediaError(name, [previous, file]);
      byName.set(name, file);
    }
    return [...byName].map(([name, file]) => ({ name, path: file }));
  }

  /**
   * Builds the deck and writes a genuine Anki package (zip of `collection.anki2` and media)
   * atomically: a temporary file, flushed, renamed into place, so a failed or killed export
   * leaves the previous file as it was. An output path that is a symbolic link stays one.
   * @returns what was written
   * @throws the errors of `buildDeck`, and {DeckIoError} naming `outputPath`
   */
  async exportDeck(
    outputPath: string,
    options: BuildDeckOptions & { now?: () => number } = {},
  ): Promise<BuiltDeck> {
    const deck = this.buildDeck(options);
    await writeApkg(deck, outputPath, options);
    return deck;
  }
}
