#!/usr/bin/env node
// `node tools/test-services/dist/cli.js redis-server`: what .ci/run calls before `pnpm test`, the
// same lookup-or-install the vitest global setup does.
import { ensureRedisServer } from "./ensure-redis-server.js";

const ENSURE: Record<string, () => Promise<string>> = { "redis-server": () => ensureRedisServer() };
const names = process.argv.slice(2);
const unknown = names.filter((name) => !(name in ENSURE));
if (names.length === 0 || unknown.length > 0) {
  process.stderr.write(
    `usage: test-services <${Object.keys(ENSURE).join("|")}>...${unknown.length > 0 ? ` (unknown: ${unknown.join(", ")})` : ""}\n`,
  );
  process.exit(2);
}
try {
  for (const name of names) process.stdout.write(`${name}: ${await ENSURE[name]!()}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
