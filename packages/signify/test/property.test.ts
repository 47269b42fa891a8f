import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  NameCollisionError,
  schemaToDocstringArgs,
  schemaToSignature,
  schemaToTsDoc,
  schemaToTsSignature,
} from "../src/index.js";

const primitive = fc.constantFrom("string", "number", "integer", "boolean", "object", "null");
const jsonScalar = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const typeSchema: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    primitive.map((type) => ({ type })),
    fc.record({ type: fc.constant("array"), items: tie("node") }),
    fc.record({ type: fc.constant("array") }),
    fc.uniqueArray(primitive, { minLength: 1, maxLength: 3 }).map((type) => ({ type })),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((anyOf) => ({ anyOf })),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((oneOf) => ({ oneOf })),
    fc.array(jsonScalar, { minLength: 1, maxLength: 4 }).map((values) => ({ enum: values })),
    jsonScalar.map((value) => ({ const: value })),
    fc.record({
      type: fc.constant("string"),
      enum: fc.array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 3 }),
    }),
  ),
})).node as fc.Arbitrary<Record<string, unknown>>;

const propertyName = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom(
    "class",
    "def",
    "None",
    "async",
    "match",
    "type",
    "2fa",
    "x-y",
    "camelCase",
    "HTTPServer",
    "ref",
    "_",
    "__",
  ),
);

const schemaArbitrary = fc
  .dictionary(
    propertyName,
    fc.tuple(
      typeSchema,
      fc.option(jsonScalar, { nil: undefined }),
      fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    ),
    { maxKeys: 6 },
  )
  .chain((entries) =>
    fc.subarray(Object.keys(entries)).map((required) => ({
      type: "object",
      required,
      properties: Object.fromEntries(
        Object.entries(entries).map(([name, [schema, defaultValue, description]]) => [
          name,
          {
            ...schema,
            ...(defaultValue === undefined ? {} : { default: defaultValue }),
            ...(description === undefined ? {} : { description }),
          },
        ]),
      ),
    })),
  );

const SAMPLES = 400;
const checker = fileURLToPath(new URL("./check-python-signatures.py", import.meta.url));

/** The sample's Python outputs, or the name collision that prevented them. */
function renderPython(
  schema: Record<string, unknown>,
  literals: boolean,
): { signature: string; docstring: string | null } | NameCollisionError {
  try {
    const signature = schemaToSignature(schema, { literals });
    expect(signature).not.toBeNull();
    return { signature: signature!, docstring: schemaToDocstringArgs(schema, { literals }) };
  } catch (error) {
    if (error instanceof NameCollisionError) return error;
    throw error;
  }
}

describe("generated schemas", () => {
  const schemas = fc.sample(schemaArbitrary, { numRuns: SAMPLES, seed: 20261122 });

  it("always give Python signatures that compile, import and match their docstrings", () => {
    const samples: { id: string; signature: string; docstring: string | null }[] = [];
    const collisions: { schema: Record<string, unknown>; error: NameCollisionError }[] = [];
    for (const [index, schema] of schemas.entries()) {
      for (const literals of [false, true]) {
        const rendered = renderPython(schema, literals);
        if (rendered instanceof NameCollisionError) collisions.push({ schema, error: rendered });
        else samples.push({ id: `${index}_${literals ? 1 : 0}`, ...rendered });
      }
    }
    // Every sample is accounted for: rendered, or refused for a real collision of two properties.
    expect(samples.length + collisions.length).toBe(2 * SAMPLES);
    expect(samples.length).toBeGreaterThanOrEqual(2 * SAMPLES * 0.9);
    for (const { schema, error } of collisions) {
      const properties = Object.keys(schema.properties as object).map(
        (name) => `/properties/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`,
      );
      const [, other] = /as (\/properties\/.*) does$/.exec(error.message) ?? [];
      expect(properties).toContain(error.pointer);
      expect(properties).toContain(other);
      expect(other).not.toBe(error.pointer);
      expect(error.parameter).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    }
    const output = execFileSync("python3", [checker], {
      input: JSON.stringify(samples),
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    });
    expect(JSON.parse(output)).toEqual([]);
  }, 180_000);

  it("always give TypeScript signatures and doc blocks that type-check", () => {
    const declarations: string[] = [];
    for (const [index, schema] of schemas.entries()) {
      for (const literals of [false, true]) {
        const signature = schemaToTsSignature(schema, { literals });
        expect(signature).not.toBeNull();
        declarations.push(
          `${schemaToTsDoc(schema, { literals }) ?? ""}\ndeclare function f${index}_${literals ? 1 : 0}${signature}: void;`,
        );
      }
    }
    const fileName = "generated.ts";
    const source = `${declarations.join("\n")}\nexport {};\n`;
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts"],
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile;
    host.getSourceFile = (name, version, ...rest) =>
      name === fileName
        ? ts.createSourceFile(name, source, version)
        : getSourceFile.call(host, name, version, ...rest);
    const program = ts.createProgram([fileName], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      const line =
        diagnostic.file && diagnostic.start !== undefined
          ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
          : -1;
      return `${message} at: ${source.split("\n")[line] ?? ""}`;
    });
    expect(diagnostics).toEqual([]);
  }, 60_000);
});
