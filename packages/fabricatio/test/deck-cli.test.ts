import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readApkg } from "@fabricatio/deck-loader";
import { afterAll, describe, expect, it } from "vitest";

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/cli/main.js");
const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-deck-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], cwd = temp): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: temp, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<Run>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

function run(args: string[], cwd = temp): Promise<Run> {
  return start(args, cwd).done;
}

let counter = 0;
function fresh(): string {
  counter += 1;
  return `deck${counter}`;
}

function temporaries(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.endsWith(".tmp"));
}

/** A project whose package takes a moment to write: 3,000 notes and 8 MB of media. */
async function bigProject(): Promise<string> {
  const name = fresh();
  expect((await run(["deck", "init", name])).code).toBe(0);
  const rows = Array.from({ length: 3000 }, (_, index) => `q${index},a${index}`).join("\n");
  writeFileSync(path.join(temp, name, "data/basic_card.csv"), `Front,Back\n${rows}\n`);
  for (let index = 0; index < 4; index += 1)
    writeFileSync(path.join(temp, name, `media/m${index}.bin`), randomBytes(2_000_000));
  return name;
}

describe("fabricatio deck init", () => {
  it("refuses a folder that is not empty, and with --force keeps the user's CSV", {
    timeout: 60_000,
  }, async () => {
    const name = fresh();
    expect((await run(["deck", "init", name])).code).toBe(0);
    const csvFile = path.join(temp, name, "data/basic_card.csv");
    writeFileSync(csvFile, "Front,Back\nmine,kept\n");
    const refused = await run(["deck", "init", name]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("DECK_PROJECT_EXISTS");
    expect(readFileSync(csvFile, "utf8")).toBe("Front,Back\nmine,kept\n");
    const forced = await run(["deck", "init", name, "--force", "--name", "Again"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`kept ${csvFile}`);
    expect(readFileSync(csvFile, "utf8")).toBe("Front,Back\nmine,kept\n");
    expect((await run(["deck", "init", name, "--force", "--overwrite-data"])).code).toBe(0);
    expect(readFileSync(csvFile, "utf8")).toContain("What is 2+2?");
  });

  it("refuses a model name that leaves the project, writing nothing outside", {
    timeout: 60_000,
  }, async () => {
    const result = await run(["deck", "init", "inside/p", "--model", "../../../escaped"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("DECK_INVALID_NAME");
    expect(existsSync(path.join(temp, "escaped"))).toBe(false);
    expect(existsSync(path.join(temp, "inside"))).toBe(false);
    expect((await run(["deck", "init", fresh(), "--type", "basic"])).code).toBe(2);
  });

  it("makes projects that export with any number of fields, and cloze projects", {
    timeout: 60_000,
  }, async () => {
    const threeFields = fresh();
    expect((await run(["deck", "init", threeFields, "--fields", "A", "B", "C"])).code).toBe(0);
    const exported = await run([
      "deck",
      "export",
      threeFields,
      "-o",
      `${threeFields}.apkg`,
      "--json",
    ]);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ notes: 2, cards: 2, warnings: [] });
    const cloze = fresh();
    expect((await run(["deck", "init", cloze, "--type", "cloze"])).code).toBe(0);
    const clozeExport = await run(["deck", "export", cloze, "-o", `${cloze}.apkg`, "--json"]);
    expect(JSON.parse(clozeExport.stdout)).toMatchObject({ notes: 2, cards: 3 });
  });
});

describe("fabricatio deck export", () => {
  it("fails on duplicate and empty rows, or merges and skips them when asked", {
    timeout: 60_000,
  }, async () => {
    const name = fresh();
    expect((await run(["deck", "init", name])).code).toBe(0);
    writeFileSync(
      path.join(temp, name, "data/basic_card.csv"),
      "Front,Back\ncat,Katze\n,lonely back\ncat,Kater\n",
    );
    const empty = await run(["deck", "export", name, "-o", "x.apkg"]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("DECK_EMPTY_NOTE");
    const duplicate = await run(["deck", "export", name, "-o", "x.apkg", "--empty-rows", "skip"]);
    expect(duplicate.stderr).toContain("DECK_DUPLICATE_NOTE");
    expect(duplicate.stderr).toContain("basic_card.csv:4 and");
    const both = await run([
      "deck",
      "export",
      name,
      "-o",
      "x.apkg",
      "--empty-rows",
      "skip",
      "--duplicates",
      "merge",
      "--json",
    ]);
    expect(both.code).toBe(0);
    const report = JSON.parse(both.stdout);
    expect(report).toMatchObject({ notes: 1, cards: 1 });
    expect(report.warnings.map((warning: { code: string }) => warning.code)).toEqual([
      "DECK_EMPTY_ROW_SKIPPED",
      "DECK_DUPLICATE_MERGED",
    ]);
    expect((await run(["deck", "export", name, "-o", "x.apkg", "--duplicates", "keep"])).code).toBe(
      2,
    );
  });

  it("names the output path with DECK_IO when its folder is missing", {
    timeout: 60_000,
  }, async () => {
    const name = fresh();
    expect((await run(["deck", "init", name])).code).toBe(0);
    const result = await run(["deck", "export", name, "-o", "missing/dir/out.apkg"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error [DECK_IO]: Cannot write ${path.join(temp, "missing/dir/out.apkg")}`,
    );
    expect(result.stderr).not.toContain(".tmp");
  });

  it("ends on SIGTERM mid-write with no temporary file and a whole package or none", {
    timeout: 120_000,
  }, async () => {
    const name = await bigProject();
    const output = path.join(temp, `${name}.apkg`);
    const { child, done } = start(["deck", "export", name, "-o", output]);
    // Signal as soon as the temporary file appears, while the package is being written.
    const watcher = watch(temp, (_, file) => {
      if (typeof file === "string" && file.startsWith(`.${name}.apkg.`)) {
        watcher.close();
        child.kill("SIGTERM");
      }
    });
    const result = await done;
    watcher.close();
    expect([0, 143]).toContain(result.code);
    expect(temporaries(temp)).toEqual([]);
    if (existsSync(output)) expect((await readApkg(output)).notes).toHaveLength(3000);
  });

  it("clears what a SIGKILLed export left on the next export", { timeout: 120_000 }, async () => {
    const name = await bigProject();
    const output = path.join(temp, `${name}.apkg`);
    const { child, done } = start(["deck", "export", name, "-o", output]);
    const watcher = watch(temp, (_, file) => {
      if (typeof file === "string" && file.startsWith(`.${name}.apkg.`)) {
        watcher.close();
        child.kill("SIGKILL");
      }
    });
    await done;
    watcher.close();
    const again = await run(["deck", "export", name, "-o", output]);
    expect(again.code).toBe(0);
    expect(temporaries(temp)).toEqual([]);
    expect((await readApkg(output)).notes).toHaveLength(3000);
  });
});
