import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type GeneratedDeclaration,
  generatePackageDeclarations,
  verifyDeclaration,
} from "../src/index.js";
import { declarationDiagnostics, sourceExportNames } from "./typescript-oracle.js";

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/sample");

describe("generatePackageDeclarations on a fixture package", () => {
  let main: GeneratedDeclaration;
  let extra: GeneratedDeclaration;

  beforeAll(() => {
    const generated = generatePackageDeclarations({ packageDir: fixture });
    expect(generated.map((declaration) => declaration.subpath)).toEqual([".", "./extra"]);
    [main, extra] = generated as [GeneratedDeclaration, GeneratedDeclaration];
  }, 60_000);

  it("writes each entry to the path of its types condition", () => {
    expect(main.outputPath).toBe(path.join(fixture, "dist/index.d.ts"));
    expect(extra.outputPath).toBe(path.join(fixture, "dist/extra.d.ts"));
  });

  it("compiles standalone under --strict, for verifyDeclaration and for TypeScript's own compiler", () => {
    expect(verifyDeclaration(main.outputPath, main.text).diagnostics).toEqual([]);
    expect(verifyDeclaration(extra.outputPath, extra.text).diagnostics).toEqual([]);
    expect(declarationDiagnostics(main.outputPath, main.text)).toEqual([]);
    expect(declarationDiagnostics(extra.outputPath, extra.text)).toEqual([]);
  });

  it("has verifyDeclaration report a type error inside a declaration as the compiler does", () => {
    const broken = `${main.text}\nexport declare function lost(value: Missing): NotThere;\n`;
    const expected = declarationDiagnostics(main.outputPath, broken);
    expect(expected).toHaveLength(2);
    expect(expected[0]).toMatch(/^\d+:\d+ - Cannot find name 'Missing'\.$/);
    expect(verifyDeclaration(main.outputPath, broken).diagnostics).toEqual(expected);
  });

  it("exports exactly the names TypeScript's compiler reports for the source entry", () => {
    expect(verifyDeclaration(main.outputPath, main.text).exportedNames).toEqual(
      sourceExportNames(fixture, "src/index.ts"),
    );
    expect(verifyDeclaration(extra.outputPath, extra.text).exportedNames).toEqual(
      sourceExportNames(fixture, "src/extra.ts"),
    );
  });

  it("inlines local declarations and references no local file", () => {
    expect(main.text).not.toMatch(/from "\.\.?\//);
    expect(main.text).not.toMatch(/import\("\.\.?\//);
    expect(extra.text).toContain("interface Shape {");
    expect(extra.text).toContain("declare function scale(shape: Shape, factor: number): Shape;");
  });

  it("keeps a private type the API needs, without exporting it, and renames a colliding one", () => {
    expect(main.text).toContain("interface Options {\n    readonly precision: number;");
    expect(main.text).toContain("interface Options_1 {\n    readonly verbose: boolean;");
    expect(main.text).toMatch(
      /declare function describeValue\(value: unknown, options\?: Options_1\): string;/,
    );
    expect(main.exportedNames).not.toContain("Options");
    expect(main.exportedNames).not.toContain("Options_1");
  });

  it("renames re-exports and default exports through the export list", () => {
    expect(main.text).toMatch(/area as computeArea,/);
    expect(main.text).toMatch(/describeValue as describe,/);
    expect(main.text).toMatch(/ area,\n/);
    expect(main.text).toContain("declare function _default(count: number): string[];");
    expect(main.text).toMatch(/_default as default,/);
  });

  it("keeps overloads, generics, declaration merging, namespaces and doc comments", () => {
    expect(main.text).toContain(
      "/** Parses a number. */\ndeclare function overloaded(value: string): number;",
    );
    expect(main.text).toContain(
      "/** Formats a number. */\ndeclare function overloaded(value: number): string;",
    );
    expect(main.text).toContain("declare class Box<T extends object = Record<string, unknown>> {");
    expect(main.text).toContain("/** Merged interface, part two. */\ninterface Merged {");
    expect(main.text).toContain("declare namespace Merged {");
    expect(main.text).toContain("declare namespace Geometry {");
    expect(main.text).toContain(
      "declare function distance(a: Geometry.Point, b: Geometry.Point): number;",
    );
    expect(main.text).toContain(
      "declare namespace units {\n  /** Converts centimetres to metres. */\n  export function fromCentimetres(value: number): units.Metres;",
    );
    expect(main.text).toContain("  /** Metres. */\n  export type Metres = number & {");
  });

  it("imports types of other packages from those packages and keeps star re-exports", () => {
    expect(main.text).toContain('import { Logger } from "@fabricatio/logger";');
    expect(main.text).toContain('import { Command } from "commander";');
    expect(main.text).toContain('export * from "commander";');
  });

  it("is deterministic", () => {
    const again = generatePackageDeclarations({ packageDir: fixture });
    expect(again[0]?.text).toBe(main.text);
  }, 60_000);
});
