#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { flushLogger } from "@fabricatio/logger";
import { processIo } from "./io.js";
import { runCli } from "./program.js";

const manifest = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
) as { version: string };
const code = await runCli(process.argv.slice(2), processIo(), manifest.version);
await flushLogger();
process.exitCode = code;
