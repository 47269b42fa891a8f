import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { schemaDeclaration, UsageError, verifyDeclaration } from "../src/index.js";
import { runStubgenCli } from "../src/stubgen-cli.js";

const temp = mkdtempSync(path.join(tmpdir(), "stubgen-schema-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const schema = {
  type: "object",
  description: "Clicks an element.",
  properties: {
    element: { type: "string", description: "Element to click" },
    button: { type: "string", enum: ["left", "right"] },
  },
  required: ["element"],
};

async function run(argv: string[]) {
  const io = { out: "", err: "" };
  const exitCode = await runStubgenCli(argv, {
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
    cwd: temp,
  });
  return { exitCode, ...io };
}

describe("schemaDeclaration", () => {
  it("declares a function with the schema's parameters and TSDoc, which compiles", () => {
    const text = schemaDeclaration(schema, { name: "click", literals: true, source: "click.json" });
    expect(text).toContain(
      'export declare function click(args: { element: string; button?: "left" | "right" }): unknown;',
    );
    expect(text).toContain(" * @param args.element - Element to click (required)");
    expect(verifyDeclaration(path.join(temp, "click.d.ts"), text).diagnostics).toEqual([]);
  });

  it("rejects a bad name and a non-object schema", () => {
    expect(() => schemaDeclaration(schema, { name: "not a name" })).toThrow(UsageError);
    expect(() => schemaDeclaration([], { name: "f" })).toThrow("is not an object schema");
  });
});

describe("fabricatio-stubgen schema", () => {
  it("writes the declaration to --out", async () => {
    writeFileSync(path.join(temp, "click.json"), JSON.stringify(schema));
    const result = await run([
      "schema",
      "click.json",
      "--name",
      "click",
      "--out",
      "out/click.d.ts",
    ]);
    expect(result.exitCode).toBe(0);
    expect(readFileSync(path.join(temp, "out/click.d.ts"), "utf8")).toContain(
      "export declare function click(",
    );
  });

  it("exits 2 for bad JSON and 1 for a missing file", async () => {
    writeFileSync(path.join(temp, "bad.json"), "{ nope");
    const bad = await run(["schema", "bad.json", "--name", "f"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.err).toContain("bad.json is not valid JSON");
    const missing = await run(["schema", "missing.json", "--name", "f"]);
    expect(missing.exitCode).toBe(1);
    expect(missing.err).toContain("STUBGEN_ENTRY_NOT_FOUND");
  });

  it("accepts a schema file that starts with a UTF-8 byte order mark", async () => {
    writeFileSync(path.join(temp, "bom.json"), `\uFEFF${JSON.stringify(schema)}`);
    const result = await run(["schema", "bom.json", "--name", "click"]);
    expect(result.exitCode).toBe(0);
    expect(result.out).toContain("export declare function click(");
  });

  it("fails on an --out that is a directory without leaving a temporary file behind", async () => {
    writeFileSync(path.join(temp, "click.json"), JSON.stringify(schema));
    const outDir = path.join(temp, "out-dir");
    mkdirSync(outDir);
    const result = await run(["schema", "click.json", "--name", "click", "--out", "out-dir"]);
    expect(result.exitCode).toBe(2);
    expect(result.err).toContain("out-dir is a directory");
    expect(readdirSync(temp).filter((name) => name.includes(".tmp"))).toEqual([]);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it("writes through an --out that is a symlink, keeping the link", async () => {
    writeFileSync(path.join(temp, "click.json"), JSON.stringify(schema));
    const realDir = path.join(temp, "real");
    mkdirSync(realDir);
    writeFileSync(path.join(realDir, "click.d.ts"), "old");
    symlinkSync(path.join(realDir, "click.d.ts"), path.join(temp, "linked.d.ts"));
    const result = await run(["schema", "click.json", "--name", "click", "--out", "linked.d.ts"]);
    expect(result.exitCode).toBe(0);
    expect(lstatSync(path.join(temp, "linked.d.ts")).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(realDir, "click.d.ts"), "utf8")).toContain(
      "export declare function click(",
    );
    expect(readdirSync(realDir)).toEqual(["click.d.ts"]);
  });
});
