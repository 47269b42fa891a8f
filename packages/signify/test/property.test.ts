import { execFileSync } from "node:child_process";
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

function tryRender<T>(render: () => T): T | undefined {
  try {
    return render();
  } catch (error) {
    // Two property names with one snake_case form cannot both be parameters; that is reported.
    if (error instanceof NameCollisionError) return undefined;
    throw error;
  }
}

const SAMPLES = 400;

describe("generated schemas", () => {
  const schemas = fc.sample(schemaArbitrary, { numRuns: SAMPLES, seed: 20261122 });

  it("always give Python signatures and docstrings that Python's own parser accepts", () => {
    const programs: string[] = [];
    for (const [index, schema] of schemas.entries()) {
      for (const literals of [false, true]) {
        const signature = tryRender(() => schemaToSignature(schema, { literals }));
        if (signature === undefined) continue;
        expect(signature).not.toBeNull();
        const docstring = schemaToDocstringArgs(schema, { literals }) ?? "";
        programs.push(
          `from typing import *\ndef f${index}${signature}:\n    ${JSON.stringify(docstring)}\n    pass\n`,
        );
      }
    }
    expect(programs.length).toBeGreaterThan(SAMPLES);
    const checker = [
      "import ast, json, sys",
      "bad = []",
      "for source in json.load(sys.stdin):",
      "    try: ast.parse(source)",
      "    except SyntaxError as error: bad.append([source, str(error)])",
      "print(json.dumps(bad))",
    ].join("\n");
    const output = execFileSync("python3", ["-c", checker], {
      input: JSON.stringify(programs),
      encoding: "utf8",
    });
    expect(JSON.parse(output)).toEqual([]);
  }, 60_000);

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
