// Full load with every source present (global file, package.json, pyproject.toml, fabricatio.toml,
// .env, environment, overrides), cold (first call) and warm (median of repeated calls).
// Usage: pnpm --filter @fabricatio/config bench   (needs a build; writes BENCHMARKS.md)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../dist/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), "config-bench-"));
const cwd = path.join(root, "project");
const globalFile = path.join(root, "global/fabricatio.toml");
mkdirSync(cwd, { recursive: true });
mkdirSync(path.dirname(globalFile), { recursive: true });
const guide = readFileSync(path.join(here, "../test/fixtures/guide-routing.toml"), "utf8");
writeFileSync(globalFile, '[llm]\ntop_p = 0.9\n[debug]\nlog_level = "DEBUG"\n');
writeFileSync(
  path.join(cwd, "package.json"),
  JSON.stringify({ name: "x", fabricatio: { llm: { temperature: 0.6 } } }),
);
writeFileSync(
  path.join(cwd, "pyproject.toml"),
  '[project]\nname = "x"\n[tool.fabricatio.llm]\nsend_to = "base"\n',
);
writeFileSync(path.join(cwd, "fabricatio.toml"), guide);
writeFileSync(path.join(cwd, ".env"), "FABRICATIO_LLM__EFFORT=high\n");
const options = {
  cwd,
  globalConfigPath: globalFile,
  env: {
    ...process.env,
    FABRICATIO_LLM__TEMPERATURE: "0.3",
    FABRICATIO_EXT__WEBUI__ADDR: "0.0.0.0:1",
  },
  overrides: { llm: { max_completion_tokens: 256 } },
};

let started = performance.now();
loadConfig(options);
const coldMs = performance.now() - started;
const warm = [];
for (let round = 0; round < 200; round += 1) {
  started = performance.now();
  loadConfig(options);
  warm.push(performance.now() - started);
}
warm.sort((a, b) => a - b);
rmSync(root, { recursive: true, force: true });

const cpu =
  readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.+)/)?.[1] ?? cpus()[0]?.model;
const lines = [
  "# @fabricatio/config benchmarks",
  "",
  "Command: `pnpm --filter @fabricatio/config bench` (bench/load.mjs, after `pnpm build`).",
  `Machine: ${cpu}, ${cpus().length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`,
  "",
  "`loadConfig()` with every source present: the global file, package.json, pyproject.toml, the",
  "configuration guide's fabricatio.toml, .env, FABRICATIO_ variables and overrides; validated.",
  "",
  "| measure | ms |",
  "| --- | ---: |",
  `| first load in the process (cold) | ${coldMs.toFixed(2)} |`,
  `| warm load, median of 200 | ${warm[100].toFixed(3)} |`,
  `| warm load, p99 of 200 | ${warm[197].toFixed(3)} |`,
  "",
  "Target: under 15 ms warm.",
  "",
];
writeFileSync(path.join(here, "../BENCHMARKS.md"), lines.join("\n"));
console.log(lines.join("\n"));
