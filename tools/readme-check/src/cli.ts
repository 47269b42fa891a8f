#!/usr/bin/env node
import path from "node:path";
import { parseArgs } from "node:util";
import { checkReadmes, DEFAULT_RUN_TIMEOUT_MS } from "./check-readmes.js";
import { formatReport } from "./format-report.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    root: { type: "string", default: "." },
    "timeout-ms": { type: "string", default: String(DEFAULT_RUN_TIMEOUT_MS) },
    keep: { type: "boolean", default: false },
  },
});
const runTimeoutMs = Number(values["timeout-ms"]);
if (!Number.isInteger(runTimeoutMs) || runTimeoutMs < 1) {
  process.stderr.write(
    `readme-check: --timeout-ms must be a whole number of ms, got "${values["timeout-ms"]}"\n`,
  );
  process.exit(2);
}
const root = path.resolve(values.root);
const report = await checkReadmes({
  root,
  files:
    positionals.length > 0
      ? positionals.map((file) => path.relative(root, path.resolve(file)))
      : undefined,
  runTimeoutMs,
  keepProject: values.keep,
});
const { text, failed } = formatReport(report);
process.stdout.write(text);
process.exit(failed ? 1 : 0);
