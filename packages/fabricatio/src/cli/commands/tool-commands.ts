import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { InputNotFoundError, UsageError } from "../../errors.js";
import { CliExit } from "../cli-exit.js";
import type { CliContext } from "../context.js";
import { printJson } from "../io.js";

function readJsonFile(file: string): unknown {
  if (!existsSync(file)) throw new InputNotFoundError(file);
  try {
    // Editors on Windows start UTF-8 files with a byte order mark, which JSON.parse rejects.
    return JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new UsageError(
      `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The URL with any user name and password masked: they are secrets. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username) parsed.username = "***";
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(redis_url)";
  }
}

/** `config`, `signify`, `scan` and `stubgen`. */
export function registerToolCommands(program: Command, context: CliContext): void {
  const { io } = context;
  const config = program
    .command("config")
    .description(
      "print the resolved configuration, secrets redacted: a table of key, value and source",
    )
    .option("--sources", "one `key = value (source)` line per key; with --json, that list as JSON")
    .option("--json", "print the configuration as JSON (for scripts)")
    .action(async (options: { sources?: boolean; json?: boolean }) => {
      const loaded = await context.config();
      const { describeCache } = await import("../../llm/cache-settings.js");
      // On stderr, so the JSON on stdout stays parseable.
      const cache = describeCache(loaded, io.env);
      io.stderr(
        cache.enabled
          ? `answer cache: on, ${cache.store === "redis" ? `redis at ${withoutCredentials(cache.url)}` : `SQLite file ${cache.path}`} (${cache.reason})\n`
          : `answer cache: ${cache.reason}\n`,
      );
      if (options.sources) {
        const explained = loaded.explain();
        if (options.json) printJson(io, explained);
        else
          for (const entry of explained)
            io.stdout(`${entry.path} = ${JSON.stringify(entry.value)}\t(${entry.source})\n`);
        return;
      }
      if (options.json) {
        printJson(io, loaded.toJSON());
        return;
      }
      const { formatConfigTable } = await import("../config-table.js");
      io.stdout(formatConfigTable(loaded.explain(), io.cwd));
    });
  config
    .command("schema")
    .description("print the JSON Schema of fabricatio.toml")
    .action(async () => {
      const { configJsonSchema } = await import("@fabricatio/config");
      printJson(io, configJsonSchema());
    });

  program
    .command("signify")
    .description("turn a JSON Schema of parameters into a Python or TypeScript signature")
    .argument("<schema.json>", "the schema file")
    .option("--lang <lang>", "python or ts", "python")
    .option("--literals", "render enum/const as literals")
    .option("--json", "print JSON")
    .action(async (file: string, options: { lang: string; literals?: boolean; json?: boolean }) => {
      if (options.lang !== "python" && options.lang !== "ts") {
        throw new UsageError(`--lang must be python or ts, got ${JSON.stringify(options.lang)}`);
      }
      const { schemaToDocstringArgs, schemaToSignature, schemaToTsDoc, schemaToTsSignature } =
        await import("@fabricatio/signify");
      const schema = readJsonFile(path.resolve(io.cwd, file));
      const signifyOptions = { literals: options.literals ?? false };
      const signature =
        options.lang === "python"
          ? schemaToSignature(schema, signifyOptions)
          : schemaToTsSignature(schema, signifyOptions);
      if (signature === null) throw new UsageError(`${file} is not an object schema`);
      const doc =
        options.lang === "python"
          ? schemaToDocstringArgs(schema, signifyOptions)
          : schemaToTsDoc(schema, signifyOptions);
      if (options.json) printJson(io, { signature, doc });
      else io.stdout(`${signature}\n${doc ? `${doc}\n` : ""}`);
    });

  program
    .command("tex2typst")
    .description("convert the TeX math of a Markdown/text file (or - for stdin) to Typst")
    .argument("[file]", "the file; - or nothing reads stdin", "-")
    .option("--tight", "write inline math as $x$ without padding spaces")
    .option("--json", "print JSON")
    .action(async (file: string, options: { tight?: boolean; json?: boolean }) => {
      let text: string;
      if (file === "-") text = await io.readStdin();
      else {
        const resolved = path.resolve(io.cwd, file);
        if (!existsSync(resolved)) throw new InputNotFoundError(resolved);
        text = readFileSync(resolved, "utf8");
      }
      const { convertAllTexMath } = await import("@fabricatio/tex-convertor");
      const converted = convertAllTexMath(text, {
        inlineSpacing: options.tight ? "tight" : "padded",
      });
      if (options.json) printJson(io, { typst: converted });
      else io.stdout(converted);
    });

  const scan = program.command("scan").description("list installed packages");
  scan
    .command("python")
    .description("scan a Python environment")
    .option("--site-packages <path>", "the site-packages folder (default: asked from python3)")
    .option("--python <interpreter>", "the interpreter to ask")
    .option("--installed <name>", "only say whether this package is installed, and its version")
    .option("--extra <pkg:extra>", "only say whether an extra of a package is satisfied")
    .option("--json", "print JSON")
    .action(
      async (options: {
        sitePackages?: string;
        python?: string;
        installed?: string;
        extra?: string;
        json?: boolean;
      }) => {
        const { PythonPackageScanner } = await import("@fabricatio/scanner");
        const scanner = await new PythonPackageScanner({
          sitePackages: options.sitePackages
            ? path.resolve(io.cwd, options.sitePackages)
            : undefined,
          python: options.python,
          env: io.env as NodeJS.ProcessEnv,
        }).refresh();
        if (options.extra) {
          const [pkg, extra] = options.extra.split(":");
          if (!pkg || !extra)
            throw new UsageError(
              `--extra takes <package>:<extra>, got ${JSON.stringify(options.extra)}`,
            );
          const satisfied = scanner.extraSatisfied(pkg, extra);
          if (options.json) printJson(io, { package: pkg, extra, satisfied });
          else io.stdout(`${pkg}[${extra}]: ${satisfied ? "satisfied" : "not satisfied"}\n`);
          return;
        }
        if (options.installed) {
          const version = scanner.version(options.installed);
          if (options.json)
            printJson(io, {
              package: options.installed,
              installed: version !== undefined,
              version,
            });
          else
            io.stdout(
              version === undefined
                ? `${options.installed}: not installed\n`
                : `${options.installed} ${version}\n`,
            );
          return;
        }
        const installed = scanner.listInstalled();
        if (options.json)
          printJson(
            io,
            installed.map(({ name, version }) => ({ name, version })),
          );
        else for (const pkg of installed) io.stdout(`${pkg.name} ${pkg.version}\n`);
      },
    );
  scan
    .command("node")
    .description("list the packages visible from a folder's node_modules")
    .option("--root <path>", "the folder", ".")
    .option("--json", "print JSON")
    .action(async (options: { root: string; json?: boolean }) => {
      const { NodePackageScanner } = await import("@fabricatio/scanner");
      const scanner = await new NodePackageScanner({
        root: path.resolve(io.cwd, options.root),
      }).refresh();
      const installed = scanner.listInstalled();
      if (options.json)
        printJson(
          io,
          installed.map(({ name, version }) => ({ name, version })),
        );
      else for (const pkg of installed) io.stdout(`${pkg.name} ${pkg.version}\n`);
    });

  program
    .command("stubgen")
    .description("generate declarations (see fabricatio stubgen --help)")
    .allowUnknownOption()
    .helpOption(false)
    .argument("[args...]", "arguments of fabricatio-stubgen")
    .action(async (args: string[]) => {
      const { runStubgenCli } = await import("@fabricatio/stubgen");
      const code = await runStubgenCli(args.length === 0 ? ["--help"] : args, {
        stdout: io.stdout,
        stderr: io.stderr,
        cwd: io.cwd,
      });
      if (code !== 0) throw new CliExit(code);
    });
}
