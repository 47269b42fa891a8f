#!/usr/bin/env node
// A committed file, so pnpm can link the bin at install time, before dist/ is built. It runs the
// CLI itself: dist/cli.js only runs when it is the script node was started with.
import { runStubgenCli } from "../dist/stubgen-cli.js";

process.exitCode = await runStubgenCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
});
