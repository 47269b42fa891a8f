#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { processIo } from "./io.js";

const manifest = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
) as { version: string };
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  // Answered before commander and the command tree are loaded: scripts call it to probe the CLI.
  process.stdout.write(`${manifest.version}\n`);
} else {
  const [{ runCli }, { flushLoggerIfLoaded }] = await Promise.all([
    import("./program.js"),
    import("./context.js"),
  ]);
  const code = await runCli(argv, processIo(), manifest.version);
  await flushLoggerIfLoaded();
  process.exitCode = code;
}
