import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ts } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";
import { createOverlayProgram } from "./overlay-program.js";

const root = mkdtempSync(path.join(tmpdir(), "stubgen-overlay-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  types: [],
};
const dependency = path.join(root, "node_modules/dep/index.d.ts");
const entry = path.join(root, "index.ts");

function writeDependency(type: string, mtimeS: number) {
  writeFileSync(dependency, `export type Value = ${type};\n`);
  utimesSync(dependency, mtimeS, mtimeS);
}

const errorsOf = (program: ts.Program) =>
  ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));

describe("createOverlayProgram", () => {
  mkdirSync(path.dirname(dependency), { recursive: true });
  writeFileSync(
    path.join(root, "node_modules/dep/package.json"),
    JSON.stringify({ name: "dep", types: "index.d.ts" }),
  );
  writeFileSync(entry, 'import type { Value } from "dep";\nexport const value: Value = 1;\n');

  it("shares parsed dependency files between programs and parses a changed one again", () => {
    writeDependency("string", 1_000_000);
    const first = createOverlayProgram([entry], options);
    expect(errorsOf(first)).toEqual([expect.stringContaining("not assignable to type 'string'")]);
    const second = createOverlayProgram([entry], options);
    expect(second.getSourceFile(dependency)).toBe(first.getSourceFile(dependency));
    // A reinstalled dependency: new text and mtime.
    writeDependency("number", 2_000_000);
    const third = createOverlayProgram([entry], options);
    expect(third.getSourceFile(dependency)).not.toBe(first.getSourceFile(dependency));
    expect(errorsOf(third)).toEqual([]);
  });

  it("never shares the files it was given as text", () => {
    const overlay = new Map([[entry, 'export const value: string = "overlaid";\n']]);
    const program = createOverlayProgram([entry], options, overlay);
    expect(program.getSourceFile(entry)?.text).toContain("overlaid");
    expect(errorsOf(program)).toEqual([]);
  });
});
