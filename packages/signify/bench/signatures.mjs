// Signatures per second for a 50-property schema, each flavour side by side in one run.
// Usage: pnpm --filter @fabricatio/signify bench   (needs a build; writes BENCHMARKS.md)
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  schemaToDocstringArgs,
  schemaToSignature,
  schemaToTsDoc,
  schemaToTsSignature,
} from "../dist/index.js";

const types = [
  { type: "string", enum: ["a", "b", "c"] },
  { type: "integer", default: 3 },
  { type: "array", items: { type: "array", items: { type: "number" } } },
  { anyOf: [{ type: "string" }, { type: "null" }] },
  { $ref: "#/$defs/Point" },
];
const properties = Object.fromEntries(
  Array.from({ length: 50 }, (_, index) => [
    `propertyName${index}`,
    { ...types[index % types.length], description: `Property number ${index}.` },
  ]),
);
const schema = {
  type: "object",
  properties,
  required: Object.keys(properties).filter((_, index) => index % 3 === 0),
  $defs: { Point: { type: "object" } },
};
const contenders = [
  ["schemaToSignature", () => schemaToSignature(schema)],
  ["schemaToDocstringArgs", () => schemaToDocstringArgs(schema)],
  ["schemaToTsSignature", () => schemaToTsSignature(schema)],
  ["schemaToTsDoc", () => schemaToTsDoc(schema)],
];
const DURATION_MS = 1000;
const rows = [];
for (const [name, run] of contenders) {
  for (let index = 0; index < 200; index += 1) run();
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < DURATION_MS) {
    for (let index = 0; index < 50; index += 1) run();
    count += 50;
  }
  const elapsed = performance.now() - started;
  rows.push([name, (count / elapsed) * 1000]);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const cpu =
  readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.+)/)?.[1] ?? cpus()[0]?.model;
const lines = [
  "# @fabricatio/signify benchmarks",
  "",
  "Command: `pnpm --filter @fabricatio/signify bench` (bench/signatures.mjs, after `pnpm build`).",
  `Machine: ${cpu}, ${cpus().length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`,
  "",
  "A 50-property schema mixing string enums, integers with defaults, nested arrays, nullable",
  "unions and a `$ref`; each function for one second after a warm-up.",
  "",
  "| function | calls/s | µs/call |",
  "| --- | ---: | ---: |",
  ...rows.map(
    ([name, perSecond]) =>
      `| ${name} | ${Math.round(perSecond).toLocaleString("en")} | ${(1e6 / perSecond).toFixed(1)} |`,
  ),
  "",
];
writeFileSync(path.join(here, "../BENCHMARKS.md"), lines.join("\n"));
console.log(lines.join("\n"));
