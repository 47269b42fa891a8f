import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";

export interface ModelSpec {
  name: string;
  modelId: number;
  fields: string[];
  /** More fields.yaml keys: type, key_field, header, duplicates, empty_rows. */
  options?: Record<string, unknown>;
  templates: Record<string, { front: string; back: string; css?: string }>;
  /** data/<name>.csv, written as is. */
  csv?: string;
}

/** Writes a deck project by hand (not through createProjectTemplate), for the tests. */
export function makeProject(
  root: string,
  {
    deckId = 1_700_000_000,
    deckName = "Deck",
    models,
  }: { deckId?: number; deckName?: string; models: ModelSpec[] },
): string {
  mkdirSync(path.join(root, "data"), { recursive: true });
  mkdirSync(path.join(root, "media"), { recursive: true });
  writeFileSync(
    path.join(root, "deck.yaml"),
    stringify({ name: deckName, description: "Test deck", deck_id: deckId }),
  );
  for (const model of models) {
    const folder = path.join(root, "models", model.name);
    mkdirSync(path.join(folder, "media"), { recursive: true });
    writeFileSync(
      path.join(folder, "fields.yaml"),
      stringify({ model_id: model.modelId, fields: model.fields, ...model.options }),
    );
    for (const [name, template] of Object.entries(model.templates)) {
      const templateFolder = path.join(folder, "templates", name);
      mkdirSync(templateFolder, { recursive: true });
      writeFileSync(path.join(templateFolder, "front.html"), template.front);
      writeFileSync(path.join(templateFolder, "back.html"), template.back);
      writeFileSync(
        path.join(templateFolder, "style.css"),
        template.css ?? ".card { color: black; }",
      );
    }
    if (model.csv !== undefined)
      writeFileSync(path.join(root, "data", `${model.name}.csv`), model.csv);
  }
  return root;
}

/** A CSV line with every value quoted. */
export function csv(...rows: string[][]): string {
  return `${rows.map((row) => row.map((value) => `"${value.replace(/"/g, '""')}"`).join(",")).join("\n")}\n`;
}
