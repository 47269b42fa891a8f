// The acceptance suite of issue 21: every exported package is opened as Anki's importer reads it
// (support/open-as-anki.ts, which shares no code with src/) and must import without losing a note.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { initLogger } from "@fabricatio/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AnkiDeckLoader,
  CsvFieldCountError,
  CsvHeaderError,
  DeckIoError,
  DuplicateNoteError,
  EmptyKeyError,
  EmptyNoteError,
  InvalidFieldNameError,
  InvalidFieldValueError,
  MediaLinkError,
  TemplateError,
} from "../src/index.js";
import { csv, type ModelSpec, makeProject } from "./support/make-project.js";
import { ANKI_BASE91, type AnkiPackage, openAsAnki } from "./support/open-as-anki.js";

const temp = mkdtempSync(path.join(tmpdir(), "deck-anki-"));
const warnings: string[] = [];
beforeAll(() =>
  initLogger({ level: "WARN", stream: { write: (line: string) => warnings.push(line) } }),
);
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let counter = 0;
function folder(): string {
  counter += 1;
  return path.join(temp, `p${counter}`);
}

const BASIC: ModelSpec = {
  name: "basic",
  modelId: 1001,
  fields: ["Front", "Back"],
  templates: { card: { front: "{{Front}}", back: '{{FrontSide}}<hr id="answer">{{Back}}' } },
};
const REVERSED: ModelSpec = {
  name: "reversed",
  modelId: 1002,
  fields: ["Front", "Back"],
  templates: {
    backward: { front: "{{Back}}", back: "{{FrontSide}}<hr>{{Front}}" },
    forward: { front: "{{Front}}", back: "{{FrontSide}}<hr>{{Back}}" },
  },
};
const CLOZE: ModelSpec = {
  name: "cloze",
  modelId: 2001,
  fields: ["Text", "Extra"],
  options: { type: "cloze" },
  templates: { cloze: { front: "{{cloze:Text}}", back: "{{cloze:Text}}<br>{{Extra}}" } },
};
const ANIMALS = csv(["Front", "Back"], ["cat", "Katze"], ["dog", "Hund"]);

async function exportProject(root: string, options = {}): Promise<AnkiPackage> {
  const output = path.join(root, "out.apkg");
  await new AnkiDeckLoader(root).exportDeck(output, options);
  return openAsAnki(output);
}

/** Anki's GUID rules: base-91 characters of one 64-bit number (at most 10), unique in the package. */
function expectAnkiGuids(apkg: AnkiPackage): void {
  const guids = apkg.notes.map((note) => note.guid);
  expect(new Set(guids).size).toBe(guids.length);
  for (const guid of guids) {
    expect(guid.length).toBeGreaterThan(0);
    expect(guid.length).toBeLessThanOrEqual(10);
    expect([...guid].every((character) => ANKI_BASE91.includes(character))).toBe(true);
  }
}

function notesOf(apkg: AnkiPackage, modelId: number) {
  return apkg.notes.filter((note) => note.mid === modelId);
}

describe("packages Anki imports without losing a note", () => {
  it("gives two note types with equal values two notes each, with their own GUIDs", async () => {
    const root = makeProject(folder(), {
      models: [
        { ...BASIC, csv: ANIMALS },
        { ...REVERSED, csv: ANIMALS },
      ],
    });
    const apkg = await exportProject(root);
    expect(apkg.problems).toEqual([]);
    expect(apkg.version).toBe(11);
    expect(apkg.notes).toHaveLength(4);
    expectAnkiGuids(apkg);
    const basic = notesOf(apkg, 1001);
    const reversed = notesOf(apkg, 1002);
    expect(basic.map((note) => note.fields)).toEqual([
      ["cat", "Katze"],
      ["dog", "Hund"],
    ]);
    expect(reversed.map((note) => note.fields)).toEqual(basic.map((note) => note.fields));
    expect(basic.map((note) => apkg.cardsByGuid[note.guid])).toEqual([[0], [0]]);
    expect(reversed.map((note) => apkg.cardsByGuid[note.guid])).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(apkg.cards).toHaveLength(6);
    expect(apkg.models["1001"]?.req).toEqual([[0, "any", [0]]]);
    expect(apkg.models["1002"]?.req).toEqual([
      [0, "any", [1]],
      [1, "any", [0]],
    ]);
  });

  it("rejects duplicate rows naming both, or merges them under `duplicates: merge`", async () => {
    const rows = csv(["Front", "Back"], ["cat", "Katze"], ["dog", "Hund"], ["cat", "Kater"]);
    const root = makeProject(folder(), { models: [{ ...BASIC, csv: rows }] });
    const file = path.join(root, "data/basic.csv");
    const error = await new AnkiDeckLoader(root)
      .exportDeck(path.join(root, "out.apkg"))
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(DuplicateNoteError);
    expect(error).toMatchObject({
      code: "DECK_DUPLICATE_NOTE",
      first: { path: file, line: 2 },
      second: { path: file, line: 4 },
    });
    expect(error.message).toContain(`${file}:4 and ${file}:2`);
    expect(error.message).toContain('key field "Front" = "cat"');

    const merged = await exportProject(root, { duplicates: "merge" });
    expect(merged.problems).toEqual([]);
    expect(merged.notes.map((note) => note.fields)).toEqual([
      ["cat", "Kater"],
      ["dog", "Hund"],
    ]);
    expect(Object.values(merged.cardsByGuid)).toEqual([[0], [0]]);
    const built = new AnkiDeckLoader(root).buildDeck({ duplicates: "merge" });
    expect(built.warnings.map((warning) => warning.code)).toEqual(["DECK_DUPLICATE_MERGED"]);
    expect(built.warnings[0]?.message).toContain(`${file}:4 replaces ${file}:2`);
  });

  it("makes one card per cloze number, c1 to c3, nested and shared, in any field", async () => {
    const root = makeProject(folder(), {
      models: [
        {
          ...CLOZE,
          csv: csv(
            ["Text", "Extra"],
            ["{{c1::Paris}} is the capital of {{c2::France}}, in {{c3::Europe}}.", "geography"],
            ["{{c1::outer {{c2::inner}}}} and {{c3::third}}", ""],
            ["{{c2,3::shared}} deletion", ""],
            ["one {{c1::x}}", "extra {{c5::y}}"],
          ),
        },
      ],
    });
    const apkg = await exportProject(root);
    expect(apkg.problems).toEqual([]);
    expectAnkiGuids(apkg);
    const model = apkg.models["2001"]!;
    expect(model.type).toBe(1);
    expect(model.tmpls.map((template) => template.qfmt)).toEqual(["{{cloze:Text}}"]);
    expect(model.req).toEqual([[0, "any", [0]]]);
    expect(apkg.notes.map((note) => apkg.cardsByGuid[note.guid])).toEqual([
      [0, 1, 2],
      [0, 1, 2],
      [1, 2],
      [0, 4],
    ]);
  });

  it("keeps a note's GUID when a field other than the key is edited, so re-import updates it", async () => {
    const root = makeProject(folder(), { models: [{ ...BASIC, csv: ANIMALS }] });
    const before = await exportProject(root);
    writeFileSync(
      path.join(root, "data/basic.csv"),
      csv(["Front", "Back"], ["cat", "Katze"], ["dog", "der Hund"]),
    );
    const edited = await exportProject(root);
    expect(edited.problems).toEqual([]);
    expect(edited.notes.map((note) => note.guid)).toEqual(before.notes.map((note) => note.guid));
    expect(edited.notes[1]?.fields).toEqual(["dog", "der Hund"]);
    writeFileSync(
      path.join(root, "data/basic.csv"),
      csv(["Front", "Back"], ["cat", "Katze"], ["puppy", "der Hund"]),
    );
    const rekeyed = await exportProject(root);
    expect(rekeyed.notes[0]?.guid).toBe(before.notes[0]?.guid);
    expect(rekeyed.notes[1]?.guid).not.toBe(before.notes[1]?.guid);
  });

  it("maps a header in another order by name and takes a guid column verbatim", async () => {
    const root = makeProject(folder(), {
      models: [
        {
          ...BASIC,
          csv: csv(["Back", "guid", "Front"], ["Katze", "", "cat"], ["Hund", "dog-Guid_01", "dog"]),
        },
      ],
    });
    const apkg = await exportProject(root);
    expect(apkg.problems).toEqual([]);
    expect(apkg.notes.map((note) => note.fields)).toEqual([
      ["cat", "Katze"],
      ["dog", "Hund"],
    ]);
    expect(apkg.notes[1]?.guid).toBe("dog-Guid_01");
    const plain = await exportProject(
      makeProject(folder(), { models: [{ ...BASIC, csv: ANIMALS }] }),
    );
    expect(apkg.notes[0]?.guid).toBe(plain.notes[0]?.guid);
  });

  it("reads a header-less CSV under `header: false`, keeping its first row", async () => {
    const root = makeProject(folder(), {
      models: [{ ...BASIC, options: { header: false }, csv: "cat,Katze\ndog,Hund\n" }],
    });
    const apkg = await exportProject(root);
    expect(apkg.problems).toEqual([]);
    expect(apkg.notes.map((note) => note.fields)).toEqual([
      ["cat", "Katze"],
      ["dog", "Hund"],
    ]);
  });

  it("computes req as Anki does and makes exactly the cards Anki would", async () => {
    const root = makeProject(folder(), {
      models: [
        {
          name: "three",
          modelId: 3001,
          fields: ["Front", "Back", "Extra"],
          templates: {
            a_front: { front: "{{Front}}", back: "{{FrontSide}}" },
            b_both: { front: "{{#Back}}{{Extra}}{{/Back}}", back: "{{FrontSide}}" },
            c_negated: { front: "{{^Front}}{{Back}}{{/Front}}", back: "{{FrontSide}}" },
          },
          csv: csv(
            ["Front", "Back", "Extra", "guid"],
            ['<b>Bold</b> &amp; <img src="pic.png"> x', "b1", "e1", ""],
            ["q2", "b2", "<br> ", ""],
            ["", "b3", "", "Ab3#xY"],
          ),
        },
      ],
    });
    const apkg = await exportProject(root);
    expect(apkg.problems).toEqual([]);
    expect(apkg.models["3001"]?.req).toEqual([
      [0, "any", [0]],
      [1, "all", [1, 2]],
      [2, "any", [1]],
    ]);
    expect(apkg.notes.map((note) => apkg.cardsByGuid[note.guid])).toEqual([[0, 1], [0], [2]]);
    // Anki's sort field: media tags become their file names between spaces, tags go, entities decode.
    expect(apkg.notes[0]?.sfld).toBe("Bold &  pic.png  x");
    expect(apkg.notes[2]?.guid).toBe("Ab3#xY");
  });

  it("round-trips quotes, commas, line breaks and a BOM, and reports progress", async () => {
    const rows = Array.from({ length: 50 }, (_, index) => [`q "${index}"`, `a,${index}\r\nline`]);
    const body = rows.map((row) => row.map((value) => `"${value.replace(/"/g, '""')}"`).join(","));
    const root = makeProject(folder(), {
      models: [{ ...BASIC, csv: `\ufeffFront,Back\r\n${body.join("\r\n")}\r\n` }],
    });
    const phases = new Set<string>();
    const apkg = await exportProject(root, {
      onProgress: (event: { phase: string }) => phases.add(event.phase),
    });
    expect(apkg.problems).toEqual([]);
    expect(apkg.notes.map((note) => note.fields)).toEqual(
      rows.map(([front, back]) => [front, back!.replace("\r\n", "\n")]),
    );
    expect([...phases]).toEqual(["load", "notes", "write"]);
  });

  it("names the line a row starts on, past cells that span lines", async () => {
    const root = makeProject(folder(), {
      models: [{ ...BASIC, csv: 'Front,Back\nok,fine\n"two\nlines",x\nonly one\n' }],
    });
    const error = await new AnkiDeckLoader(root)
      .exportDeck(path.join(root, "o.apkg"))
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(CsvFieldCountError);
    expect(error.message).toBe(
      `${path.join(root, "data/basic.csv")}:5: the row has 1 field(s), expected 2`,
    );
  });

  it("follows a media link inside the project and keeps its own name", async () => {
    const root = makeProject(folder(), { models: [{ ...BASIC, csv: ANIMALS }] });
    writeFileSync(path.join(root, "models/basic/media/real.png"), "png bytes");
    symlinkSync("../models/basic/media/real.png", path.join(root, "media/alias.png"));
    const apkg = await exportProject(root);
    expect(apkg.problems).toEqual([]);
    expect(Object.values(apkg.media).sort()).toEqual(["alias.png", "real.png"]);
    expect(new TextDecoder().decode(apkg.mediaBytes["alias.png"])).toBe("png bytes");
  });
});

describe("each bad input fails with an error naming where", () => {
  async function failure(
    models: ModelSpec[],
    options = {},
  ): Promise<{ error: Error & Record<string, unknown>; root: string }> {
    const root = makeProject(folder(), { models });
    const error = await new AnkiDeckLoader(root)
      .exportDeck(path.join(root, "out.apkg"), options)
      .then(() => {
        throw new Error("the export succeeded");
      })
      .catch((caught: Error & Record<string, unknown>) => caught);
    return { error, root };
  }

  it("rejects U+001F and other control characters with the row and column", async () => {
    const { error, root } = await failure([
      { ...BASIC, csv: csv(["Front", "Back"], ["ok", "fine"], ["a\u001fb", "x"]) },
    ]);
    expect(error).toBeInstanceOf(InvalidFieldValueError);
    expect(error).toMatchObject({
      code: "DECK_INVALID_FIELD_VALUE",
      column: 1,
      columnName: "Front",
      row: { line: 3 },
    });
    expect(error.message).toContain(
      `${path.join(root, "data/basic.csv")}:3: column 1 ("Front") contains U+001F`,
    );
    const bell = await failure([{ ...BASIC, csv: csv(["Back", "Front"], ["ring\u0007", "bell"]) }]);
    expect(bell.error.message).toContain('column 1 ("Back") contains U+0007');
  });

  it("reports a row that makes no card, or skips it under `empty_rows: skip`", async () => {
    const rows = csv(["Front", "Back"], ["cat", "Katze"], ["", "only a back"]);
    const { error, root } = await failure([{ ...BASIC, csv: rows }]);
    expect(error).toBeInstanceOf(EmptyNoteError);
    expect(error.message).toContain(
      `${path.join(root, "data/basic.csv")}:3: the row makes no card`,
    );
    expect(error.message).toContain("empty field(s): Front");
    const skipped = await exportProject(
      makeProject(folder(), { models: [{ ...BASIC, options: { empty_rows: "skip" }, csv: rows }] }),
    );
    expect(skipped.problems).toEqual([]);
    expect(skipped.notes.map((note) => note.fields)).toEqual([["cat", "Katze"]]);
    const cloze = await failure([
      { ...CLOZE, csv: csv(["Text", "Extra"], ["no deletion here", "x"]) },
    ]);
    expect(cloze.error).toBeInstanceOf(EmptyNoteError);
    expect(cloze.error.message).toContain("no field has a cloze deletion");
  });

  it("rejects a row whose key is empty when a card exists and no guid names it", async () => {
    const { error } = await failure([{ ...REVERSED, csv: csv(["Front", "Back"], ["", "Hund"]) }]);
    expect(error).toBeInstanceOf(EmptyKeyError);
    expect(error.message).toContain('the key field "Front" is empty');
  });

  it("rejects one guid in two note types, even when merging", async () => {
    const shared = csv(["Front", "Back", "guid"], ["cat", "Katze", "same"]);
    const { error } = await failure(
      [
        { ...BASIC, csv: shared },
        { ...REVERSED, csv: shared },
      ],
      { duplicates: "merge" },
    );
    expect(error).toBeInstanceOf(DuplicateNoteError);
    expect(error.message).toContain('guid "same"');
  });

  it("rejects a missing template file, an unknown field, and cloze filters in the wrong model", async () => {
    const root = makeProject(folder(), { models: [{ ...BASIC, csv: ANIMALS }] });
    rmSync(path.join(root, "models/basic/templates/card/front.html"));
    const missing = await new AnkiDeckLoader(root)
      .exportDeck(path.join(root, "o.apkg"))
      .catch((caught) => caught);
    expect(missing).toBeInstanceOf(TemplateError);
    expect(missing.path).toBe(path.join(root, "models/basic/templates/card/front.html"));
    const unknown = await failure([
      { ...BASIC, templates: { card: { front: "{{Front}}", back: "{{Extra}}" } }, csv: ANIMALS },
    ]);
    expect(unknown.error).toBeInstanceOf(TemplateError);
    expect(unknown.error.message).toContain("{{Extra}} refers to a field the model lacks");
    const standardCloze = await failure([
      {
        ...BASIC,
        templates: { card: { front: "{{cloze:Front}}", back: "{{Back}}" } },
        csv: ANIMALS,
      },
    ]);
    expect(standardCloze.error.message).toContain("set `type: cloze`");
    const clozeWithout = await failure([
      { ...CLOZE, templates: { cloze: { front: "{{Text}}", back: "{{Extra}}" } } },
    ]);
    expect(clozeWithout.error.message).toContain("a cloze model needs {{cloze:Field}}");
    const noField = await failure([
      { ...BASIC, templates: { card: { front: "just text", back: "{{Back}}" } }, csv: ANIMALS },
    ]);
    expect(noField.error.message).toContain("the front refers to no field");
  });

  it("validates field names as Anki's editor does", async () => {
    for (const [fields, fragment] of [
      [["Fr:ont", "Back"], 'field name "Fr:ont" is not valid in Anki: it contains ":"'],
      [["Front", "front"], 'it repeats "Front" (case is ignored)'],
      [["{x}", "Back"], 'it contains "{"'],
      [["#Front", "Back"], 'it starts with "#"'],
      [["Front", "Tags"], "it is Anki's special field {{Tags}}"],
    ] as const) {
      const { error, root } = await failure([{ ...BASIC, fields: [...fields] }]);
      expect(error).toBeInstanceOf(InvalidFieldNameError);
      expect(error.message).toContain(path.join(root, "models/basic/fields.yaml"));
      expect(error.message).toContain(fragment);
    }
  });

  it("names the difference when the header does not match, and suggests `header: false`", async () => {
    const { error } = await failure([{ ...BASIC, csv: csv(["Front", "Bakc"], ["cat", "Katze"]) }]);
    expect(error).toBeInstanceOf(CsvHeaderError);
    expect(error).toMatchObject({ missing: ["Back"], unknown: ["Bakc"] });
    const headerless = await failure([{ ...BASIC, csv: "cat,Katze\n" }]);
    expect(headerless.error.message).toContain("`header: false`");
    const short = await failure([{ ...BASIC, csv: csv(["Front", "Back"], ["cat"]) }]);
    expect(short.error).toBeInstanceOf(CsvFieldCountError);
    expect(short.error.message).toContain(":2: the row has 1 field(s), expected 2");
  });

  it("names a media link that points outside the project or nowhere", async () => {
    const outside = path.join(temp, "outside.png");
    writeFileSync(outside, "secret");
    const root = makeProject(folder(), { models: [{ ...BASIC, csv: ANIMALS }] });
    symlinkSync(outside, path.join(root, "media/escape.png"));
    const escaped = await new AnkiDeckLoader(root)
      .exportDeck(path.join(root, "o.apkg"))
      .catch((caught) => caught);
    expect(escaped).toBeInstanceOf(MediaLinkError);
    expect(escaped).toMatchObject({
      code: "DECK_MEDIA_LINK",
      path: path.join(root, "media/escape.png"),
      target: outside,
    });
    rmSync(path.join(root, "media/escape.png"));
    symlinkSync("nowhere.png", path.join(root, "models/basic/media/dangling.png"));
    const dangling = await new AnkiDeckLoader(root)
      .exportDeck(path.join(root, "o.apkg"))
      .catch((caught) => caught);
    expect(dangling).toBeInstanceOf(MediaLinkError);
    expect(dangling.message).toContain("points to nothing");
  });

  it("names the output path, with a code, when its folder does not exist", async () => {
    const root = makeProject(folder(), { models: [{ ...BASIC, csv: ANIMALS }] });
    const output = path.join(root, "no/such/folder/out.apkg");
    const error = await new AnkiDeckLoader(root).exportDeck(output).catch((caught) => caught);
    expect(error).toBeInstanceOf(DeckIoError);
    expect(error).toMatchObject({ code: "DECK_IO", path: output, systemCode: "ENOENT" });
    expect(error.message).toBe(`Cannot write ${output}: no such file or folder (ENOENT)`);
  });

  it("warns about a filter Anki does not know, and still exports", async () => {
    const root = makeProject(folder(), {
      models: [
        {
          ...BASIC,
          templates: { card: { front: "{{Front}}", back: "{{hint:Back}}{{shout:Back}}" } },
          csv: ANIMALS,
        },
      ],
    });
    const built = new AnkiDeckLoader(root).buildDeck();
    expect(built.warnings.map((warning) => warning.code)).toEqual(["DECK_UNKNOWN_FILTER"]);
    expect(warnings.join("")).toContain('the filter "shout:" is not one of Anki\'s');
  });
});
