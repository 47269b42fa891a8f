import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { initLogger } from "@fabricatio/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnkiDeckLoader, createProjectTemplate, readApkg } from "../src/index.js";

const temp = mkdtempSync(path.join(tmpdir(), "deck-compare-"));
beforeAll(() => initLogger({ level: "ERROR", stream: { write() {} } }));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const cards: [string, string][] = [
  ["What is the capital of France?", "Paris"],
  ["What is 2+2?", "4"],
  ["<b>Bold</b> question", "answer with, comma"],
];

describe("compared with anki-apkg-export, an independent generator", () => {
  it("has the same tables, fields, notes and cards for the same data", async () => {
    const require = createRequire(import.meta.url);
    const AnkiExport = require("anki-apkg-export").default as new (
      name: string,
    ) => {
      addCard(front: string, back: string): void;
      save(): Promise<Buffer>;
    };
    const theirs = new AnkiExport("Sample Deck");
    for (const [front, back] of cards) theirs.addCard(front, back);
    const theirFile = path.join(temp, "theirs.apkg");
    writeFileSync(theirFile, await theirs.save());

    const project = path.join(temp, "project");
    createProjectTemplate(project);
    writeFileSync(
      path.join(project, "data/basic_card.csv"),
      `Front,Back\n${cards.map((row) => row.map((value) => `"${value}"`).join(",")).join("\n")}\n`,
    );
    const ourFile = path.join(temp, "ours.apkg");
    await new AnkiDeckLoader(project).exportDeck(ourFile);

    const [ours, reference] = await Promise.all([readApkg(ourFile), readApkg(theirFile)]);
    const userTables = (tables: string[]) => tables.filter((name) => !name.startsWith("sqlite_"));
    expect(userTables(ours.tables)).toEqual(userTables(reference.tables));
    const fieldNames = (apkg: typeof ours) =>
      Object.values(apkg.models).map((model) => model.flds.map((field) => field.name));
    expect(fieldNames(ours)).toEqual(fieldNames(reference));
    expect(ours.notes.map((note) => note.fields)).toEqual(
      reference.notes.map((note) => note.fields),
    );
    expect(ours.cards.map((card) => card.ord)).toEqual(reference.cards.map((card) => card.ord));
    const deckNames = (apkg: typeof ours) =>
      Object.values(apkg.decks)
        .map((deck) => deck.name)
        .sort();
    expect(deckNames(ours)).toEqual(
      expect.arrayContaining(deckNames(reference).filter((name) => name !== "Default")),
    );
  });
});
