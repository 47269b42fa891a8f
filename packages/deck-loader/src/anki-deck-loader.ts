import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { getLogger } from "@fabricatio/logger";
import { parse as parseCsv } from "csv-parse/sync";
import { parse as parseYaml } from "yaml";
import { fieldChecksum, guidFor, stripHtml } from "./anki-hashes.js";
import {
  CsvFieldCountError,
  DeckConfigError,
  DeckFileNotFoundError,
  DuplicateMediaError,
  DuplicateModelIdError,
} from "./errors.js";
import { referencedFields, renderTemplate } from "./render-template.js";
import type {
  BuiltDeck,
  DeckConfig,
  DeckModel,
  DeckNote,
  ModelConfig,
  ModelData,
  ProgressEvent,
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

const logger = getLogger("deck-loader:loader");

function subdirectories(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function files(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(folder, entry.name))
    .sort();
}

function readYaml(file: string, what: string): Record<string, unknown> {
  if (!existsSync(file)) throw new DeckFileNotFoundError(file, what);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new DeckConfigError(
      file,
      `not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      error,
    );
  }
  if (typeof data !== "object" || data === null)
    throw new DeckConfigError(file, "expected a mapping");
  return data as Record<string, unknown>;
}

/** Loads an Anki deck project folder and exports it as an `.apkg`. */
export class AnkiDeckLoader {
  constructor(readonly projectPath: string) {}

  /**
   * `deck.yaml`: `name`, `description`, `deck_id`, optional `author`.
   * @throws {DeckFileNotFoundError} | {DeckConfigError}
   */
  loadDeckConfig(): DeckConfig {
    const file = path.join(this.projectPath, PROJECT_LAYOUT.DECK_FILE);
    const data = readYaml(file, "deck.yaml");
    if (typeof data.name !== "string") throw new DeckConfigError(file, "name must be a string");
    if (!Number.isInteger(data.deck_id))
      throw new DeckConfigError(file, "deck_id must be an integer");
    return {
      name: data.name,
      description: typeof data.description === "string" ? data.description : "",
      deck_id: data.deck_id as number,
      author: typeof data.author === "string" ? data.author : null,
    };
  }

  /** The model folders under `models/`, sorted. */
  getAvailableModels(): string[] {
    return subdirectories(path.join(this.projectPath, PROJECT_LAYOUT.MODELS_DIR));
  }

  /**
   * A model's `fields.yaml`, templates and media.
   * @throws {DeckFileNotFoundError} | {DeckConfigError}
   */
  loadModelData(model: string): ModelData {
    const folder = path.join(this.projectPath, PROJECT_LAYOUT.MODELS_DIR, model);
    const fieldsFile = path.join(folder, PROJECT_LAYOUT.FIELDS_FILE);
    const data = readYaml(fieldsFile, "fields.yaml");
    if (!Number.isInteger(data.model_id))
      throw new DeckConfigError(fieldsFile, "model_id must be an integer");
    if (
      !Array.isArray(data.fields) ||
      data.fields.length === 0 ||
      !data.fields.every((field) => typeof field === "string")
    ) {
      throw new DeckConfigError(fieldsFile, "fields must be a non-empty list of names");
    }
    const config: ModelConfig = {
      model_id: data.model_id as number,
      fields: data.fields as string[],
    };
    const templatesFolder = path.join(folder, PROJECT_LAYOUT.TEMPLATE_DIR);
    const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");
    const templates: TemplateConfig[] = subdirectories(templatesFolder).map((name) => ({
      name,
      front: read(path.join(templatesFolder, name, PROJECT_LAYOUT.TEMPLATE_FRONT)),
      back: read(path.join(templatesFolder, name, PROJECT_LAYOUT.TEMPLATE_BACK)),
      css: read(path.join(templatesFolder, name, PROJECT_LAYOUT.TEMPLATE_CSS)),
    }));
    for (const template of templates) {
      for (const field of referencedFields(`${template.front}${template.back}`)) {
        if (!config.fields.includes(field)) {
          logger.warn(
            `Template ${model}/${template.name} refers to field {{${field}}}, which the model lacks`,
          );
        }
      }
    }
    return {
      name: model,
      config,
      templates,
      mediaFiles: files(path.join(folder, PROJECT_LAYOUT.MEDIA_DIR)),
    };
  }

  /**
   * The rows of `data/<model>.csv` after its header (RFC 4180: quotes, embedded commas and
   * newlines, a BOM); none when the file is missing.
   * @throws {DeckConfigError} for malformed CSV
   */
  loadCsvData(model: string): string[][] {
    return this.#readCsv(model).map((row) => row.fields);
  }

  #readCsv(model: string): { fields: string[]; line: number }[] {
    const file = path.join(this.projectPath, PROJECT_LAYOUT.DATA_DIR, `${model}.csv`);
    if (!existsSync(file)) return [];
    try {
      const records = parseCsv(readFileSync(file), {
        bom: true,
        record_delimiter: ["\r\n", "\n", "\r"],
        relax_column_count: true,
        skip_empty_lines: true,
        info: true,
      }) as unknown as { record: string[]; info: { lines: number } }[];
      // csv-parse counts lines up to the end of a record; a quoted field may hold newlines.
      return records.slice(1).map(({ record, info }) => ({
        fields: record,
        line: info.lines - (record.join("").match(/\n/g)?.length ?? 0),
      }));
    } catch (error) {
      throw new DeckConfigError(
        file,
        `not valid CSV: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    }
  }

  /**
   * Copies a CSV file to `data/<model>.csv`.
   * @throws {DeckFileNotFoundError} when the source does not exist
   */
  addCsvData(model: string, csvPath: string): void {
    if (!existsSync(csvPath)) throw new DeckFileNotFoundError(csvPath, "CSV file");
    const folder = path.join(this.projectPath, PROJECT_LAYOUT.DATA_DIR);
    mkdirSync(folder, { recursive: true });
    copyFileSync(csvPath, path.join(folder, `${model}.csv`));
  }

  /**
   * Loads and validates the whole project: the deck in memory, notes with GUIDs and cards.
   * @throws {DeckFileNotFoundError} | {DeckConfigError} | {CsvFieldCountError} |
   * {DuplicateModelIdError} | {DuplicateMediaError}
   */
  buildDeck({ onProgress }: { onProgress?: (event: ProgressEvent) => void } = {}): BuiltDeck {
    const config = this.loadDeckConfig();
    const names = this.getAvailableModels();
    const models: DeckModel[] = [];
    const byId = new Map<number, string>();
    names.forEach((name, index) => {
      const data = this.loadModelData(name);
      const previous = byId.get(data.config.model_id);
      if (previous !== undefined)
        throw new DuplicateModelIdError(data.config.model_id, [previous, name]);
      byId.set(data.config.model_id, name);
      const csvFile = path.join(this.projectPath, PROJECT_LAYOUT.DATA_DIR, `${name}.csv`);
      const rows = this.#readCsv(name);
      const notes: DeckNote[] = rows.map(({ fields, line }) => {
        if (fields.length !== data.config.fields.length)
          throw new CsvFieldCountError(csvFile, line, data.config.fields.length, fields.length);
        return noteFor(data, fields);
      });
      models.push({
        ...data,
        css: data.templates.map((template) => template.css).join("\n"),
        notes,
      });
      onProgress?.({ phase: "load", done: index + 1, total: names.length });
    });
    return { config, models, media: this.#collectMedia(models) };
  }

  #collectMedia(models: readonly DeckModel[]): { name: string; path: string }[] {
    const all = [
      ...models.flatMap((model) => model.mediaFiles),
      ...files(path.join(this.projectPath, PROJECT_LAYOUT.MEDIA_DIR)),
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
   * through a temporary file renamed into place, so a failed export leaves nothing half-written.
   * @returns what was written
   * @throws the errors of `buildDeck`
   */
  async exportDeck(
    outputPath: string,
    options: { onProgress?: (event: ProgressEvent) => void; now?: () => number } = {},
  ): Promise<BuiltDeck> {
    const deck = this.buildDeck(options);
    await writeApkg(deck, outputPath, options);
    return deck;
  }
}

function noteFor(model: ModelData, fields: string[]): DeckNote {
  const values = Object.fromEntries(
    model.config.fields.map((name, index) => [name, fields[index] ?? ""]),
  );
  const empty = Object.fromEntries(model.config.fields.map((name) => [name, ""]));
  // Anki makes a card for a template when its front, filled in, differs from the empty front.
  const cardOrdinals = model.templates
    .map((template, ordinal) => ({ template, ordinal }))
    .filter(
      ({ template }) =>
        stripHtml(renderTemplate(template.front, values)) !==
        stripHtml(renderTemplate(template.front, empty)),
    )
    .map(({ ordinal }) => ordinal);
  return {
    fields,
    guid: guidFor(...fields),
    sortField: fields[0] ?? "",
    checksum: fieldChecksum(fields[0] ?? ""),
    cardOrdinals,
  };
}
