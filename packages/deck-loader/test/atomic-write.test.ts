import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { initLogger } from "@fabricatio/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnkiDeckLoader, createProjectTemplate } from "../src/index.js";
import { openAsAnki } from "./support/open-as-anki.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, "fixtures/export-deck.mjs");
const temp = mkdtempSync(path.join(tmpdir(), "deck-atomic-"));
beforeAll(() => initLogger({ level: "ERROR", stream: { write() {} } }));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let counter = 0;
function project(): string {
  counter += 1;
  const dir = path.join(temp, `p${counter}`);
  createProjectTemplate(dir, { now: () => 1_700_000_000_000 });
  return dir;
}

function newestSource(folder: string): number {
  return Math.max(
    ...readdirSync(folder, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
      .map((file) => statSync(path.join(folder, file)).mtimeMs),
  );
}

function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("atomic export", () => {
  it("leaves the previous package whole and no temporary file when the disk refuses mid-write", {
    timeout: 60_000,
  }, async () => {
    // The child runs dist/: a stale build would test old code.
    const root = path.join(here, "..");
    expect(
      statSync(path.join(root, "dist/index.js")).mtimeMs,
      "run `pnpm --filter @fabricatio/deck-loader build`",
    ).toBeGreaterThanOrEqual(newestSource(path.join(root, "src")));
    const dir = project();
    writeFileSync(path.join(dir, "media/big.bin"), randomBytes(400_000));
    const output = path.join(dir, "out.apkg");
    writeFileSync(output, "the previous package");
    // RLIMIT_FSIZE of 64 blocks: the write fails with EFBIG partway through the 400 kB package.
    const result = await run("sh", [
      "-c",
      'ulimit -f 64 && exec "$0" "$@"',
      process.execPath,
      script,
      dir,
      output,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`DECK_IO EFBIG Cannot write ${output}:`);
    expect(readFileSync(output, "utf8")).toBe("the previous package");
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("removes temporary files a killed export left, keeping those of running processes", {
    timeout: 60_000,
  }, async () => {
    const dir = project();
    const finished = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((resolve) =>
      finished.on("exit", () => resolve(finished.pid!)),
    );
    const stale = path.join(dir, `.out.apkg.${deadPid}.0badc0de.tmp`);
    const live = path.join(dir, `.out.apkg.${process.pid}.1badc0de.tmp`);
    const other = path.join(dir, `.notes.txt.${deadPid}.2badc0de.tmp`);
    for (const file of [stale, live, other]) writeFileSync(file, "partial");
    await new AnkiDeckLoader(dir).exportDeck(path.join(dir, "out.apkg"));
    const names = readdirSync(dir);
    expect(names).not.toContain(path.basename(stale));
    expect(names).toContain(path.basename(live));
    expect(names).toContain(path.basename(other));
  });

  it("writes through an output path that is a symbolic link, which stays a link", async () => {
    const dir = project();
    mkdirSync(path.join(dir, "builds"));
    const target = path.join(dir, "builds/deck-v1.apkg");
    writeFileSync(target, "old");
    const link = path.join(dir, "latest.apkg");
    symlinkSync("builds/deck-v1.apkg", link);
    await new AnkiDeckLoader(dir).exportDeck(link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect((await openAsAnki(target)).notes).toHaveLength(2);
    const dangling = path.join(dir, "next.apkg");
    symlinkSync("builds/deck-v2.apkg", dangling);
    await new AnkiDeckLoader(dir).exportDeck(dangling);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect((await openAsAnki(path.join(dir, "builds/deck-v2.apkg"))).notes).toHaveLength(2);
  });

  it("keeps the permissions of the file it replaces", async () => {
    const dir = project();
    const output = path.join(dir, "out.apkg");
    writeFileSync(output, "old");
    chmodSync(output, 0o640);
    await new AnkiDeckLoader(dir).exportDeck(output);
    expect(statSync(output).mode & 0o777).toBe(0o640);
  });
});
