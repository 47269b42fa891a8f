#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { flushLoggerIfLoaded } from "./context.js";
import { processIo } from "./io.js";
import { runCli } from "./program.js";

const manifest = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
) as { version: string };
const code = await runCli(process.argv.slice(2), processIo(), manifest.version);
await flushLoggerIfLoaded();
process.exitCode = code;
