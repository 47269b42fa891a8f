import path from "node:path";
import { Command, CommanderError } from "commander";
import { isStubgenError } from "./errors.js";
import { stubMcp } from "./mcp-declaration.js";
import { readSchemaFile, schemaDeclaration } from "./schema-declaration.js";
import { stubPackages } from "./stub-packages.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/** Where the CLI writes: injectable so tests can run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

const USAGE_CODES = new Set(["STUBGEN_USAGE"]);

/** Builds the `fabricatio-stubgen` command. */
export function createStubgenCommand(io: CliIo): Command {
  const program = new Command("fabricatio-stubgen")
    .description("Generate rolled-up .d.ts declarations for Fabricatio workspaces")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command("packages")
    .description(
      'roll up the declarations of every workspace package with "fabricatio": { "stubgen": true }',
    )
    .option("--root <dir>", "workspace root", io.cwd)
    .option("--filter <name...>", "only these packages")
    .option("--check", "fail when a declaration on disk is out of date instead of writing")
    .option("--json", "print the result as JSON")
    .option(
      "--no-type-check",
      "skip type-checking the sources (right after a successful tsc build)",
    )
    .action(
      (options: {
        root: string;
        filter?: string[];
        check?: boolean;
        json?: boolean;
        typeCheck: boolean;
      }) => {
        const started = performance.now();
        const results = stubPackages({
          root: path.resolve(io.cwd, options.root),
          filter: options.filter ?? [],
          check: options.check ?? false,
          typeCheck: options.typeCheck,
        });
        const elapsedMs = Math.round(performance.now() - started);
        if (options.json) {
          io.stdout(
            `${JSON.stringify(
              results.map(({ packageName, subpath, outputPath, status, exportedNames }) => ({
                packageName,
                subpath,
                outputPath,
                status,
                exports: exportedNames.length,
              })),
              null,
              2,
            )}\n`,
          );
          return;
        }
        for (const result of results) {
          io.stdout(
            `${result.status.padEnd(9)} ${result.packageName}${result.subpath === "." ? "" : result.subpath.slice(1)} (${result.exportedNames.length} exports) → ${path.relative(io.cwd, result.outputPath)}\n`,
          );
        }
        io.stdout(`${results.length} declaration file(s) in ${elapsedMs} ms\n`);
      },
    );
  program
    .command("schema")
    .description("write a declaration for a function whose parameters a JSON Schema describes")
    .argument("<schema.json>", "the JSON Schema file")
    .requiredOption("--name <name>", "the function name")
    .option("--returns <type>", "the return type", "unknown")
    .option("--literals", "render enum/const as literal unions")
    .option("--out <file>", "write here instead of stdout")
    .action(
      (
        file: string,
        options: { name: string; returns: string; literals?: boolean; out?: string },
      ) => {
        const schemaPath = path.resolve(io.cwd, file);
        const text = schemaDeclaration(readSchemaFile(schemaPath), {
          name: options.name,
          returns: options.returns,
          literals: options.literals ?? false,
          source: path.basename(schemaPath),
        });
        if (options.out) writeFileAtomic(path.resolve(io.cwd, options.out), text);
        else io.stdout(text);
      },
    );
  program
    .command("mcp")
    .description("write typed callTool overloads for the tools of MCP servers")
    .requiredOption("--config <file>", "fabricatio.toml with [mcp.servers.<name>] tables")
    .option("--server <name...>", "only these servers")
    .option("--out <file>", "write here instead of stdout")
    .action(async (options: { config: string; server?: string[]; out?: string }) => {
      const text = await stubMcp({
        configPath: path.resolve(io.cwd, options.config),
        only: options.server ?? [],
      });
      if (options.out) writeFileAtomic(path.resolve(io.cwd, options.out), text);
      else io.stdout(text);
    });
  return program;
}

/** Runs the CLI and resolves to its exit code: 0 success, 1 runtime error, 2 usage error. */
export async function runStubgenCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = createStubgenCommand(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isStubgenError(error)) {
      io.stderr(`error [${error.code}]: ${error.message}\n`);
      return USAGE_CODES.has(error.code) ? 2 : 1;
    }
    // Errors of the packages stubgen builds on (an MCP server that fails) carry a code too.
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof Error && typeof code === "string")
      io.stderr(`error [${code}]: ${error.message}\n`);
    else
      io.stderr(
        `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    return 1;
  }
}
