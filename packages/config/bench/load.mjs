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

// Many keys: 500 [ext.*] tables of 100 keys in fabricatio.toml, every one of them set again by a
// FABRICATIO_EXT__* variable, so each merge replaces a value (the path that used to be quadratic).
const MANY_KEYS = 50_000;
const manyCwd = path.join(root, "many");
mkdirSync(manyCwd, { recursive: true });
const manyLines = [];
const manyEnv = {};
for (let table = 0; table < MANY_KEYS / 100; table += 1) {
  manyLines.push(`[ext.t${table}]`);
  for (let key = 0; key < 100; key += 1) {
    manyLines.push(`k${key} = ${key}`);
    manyEnv[`FABRICATIO_EXT__T${table}__K${key}`] = String(key + 1);
  }
}
writeFileSync(path.join(manyCwd, "fabricatio.toml"), manyLines.join("\n"));
const many = [];
for (let round = 0; round < 5; round += 1) {
  started = performance.now();
  loadConfig({ cwd: manyCwd, globalConfigPath: globalFile, env: manyEnv });
  many.push(performance.now() - started);
}
many.sort((a, b) => a - b);
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
  `## ${MANY_KEYS.toLocaleString("en")} keys`,
  "",
  `${MANY_KEYS.toLocaleString("en")} keys in 500 [ext.*] tables of fabricatio.toml, each set again by a`,
  "FABRICATIO_EXT__* variable (so every merge replaces a value); median of 5 loads.",
  "",
  "| measure | ms |",
  "| --- | ---: |",
  `| load, median of 5 | ${many[2].toFixed(0)} |`,
  `| load, slowest of 5 | ${many[4].toFixed(0)} |`,
  "",
  "Target: under 1,000 ms (merging was quadratic before: 20,000 keys took 5.8 s).",
  "",
];
writeFileSync(path.join(here, "../BENCHMARKS.md"), lines.join("\n"));
console.log(lines.join("\n"));
