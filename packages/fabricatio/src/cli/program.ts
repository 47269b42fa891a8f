import { Command, CommanderError } from "commander";
import { isFabricatioError } from "../errors.js";
import { CliExit } from "./cli-exit.js";
import { registerDeckCommands } from "./commands/deck-commands.js";
import { registerLlmCommands } from "./commands/llm-commands.js";
import { registerMcpCommands } from "./commands/mcp-commands.js";
import { registerServeCommand } from "./commands/serve-command.js";
import { registerToolCommands } from "./commands/tool-commands.js";
import { CliContext } from "./context.js";
import type { CliIo } from "./io.js";

/** Exit codes: 0 success, 1 runtime error, 2 usage error. */
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

const USAGE_CODE = /_USAGE$/;

/** Builds the `fabricatio` command tree for one run. */
export function createProgram(context: CliContext): Command {
  const program = new Command("fabricatio")
    .description(
      "Fabricatio for TypeScript: ask LLMs through the thryd router, and the tools around it",
    )
    .version(context.version, "-V, --version")
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: context.io.stdout, writeErr: context.io.stderr });
  registerLlmCommands(program, context);
  registerToolCommands(program, context);
  registerMcpCommands(program, context);
  registerDeckCommands(program, context);
  registerServeCommand(program, context);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  version = "0.0.0",
): Promise<number> {
  const context = new CliContext(io, version);
  const program = createProgram(context);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    // Messages quote upstream bodies and values: a key must not reach the terminal through them.
    // The logger (and winston with it) loads only here, so `--version` and `--help` stay light;
    // its secret registry is process-wide, so what the command registered is known.
    const { redactSecrets } = await import("@fabricatio/logger");
    if (isFabricatioError(error)) {
      io.stderr(redactSecrets(`error [${error.code}]: ${error.message}\n`));
      return USAGE_CODE.test(error.code) ? EXIT_USAGE : EXIT_RUNTIME;
    }
    io.stderr(redactSecrets(`error: ${error instanceof Error ? error.message : String(error)}\n`));
    return EXIT_RUNTIME;
  } finally {
    await context.close();
  }
}
