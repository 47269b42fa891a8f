// Measures @fabricatio/scanner against python3's importlib.metadata on one generated fixture and
// writes BENCHMARKS.md. Run with `pnpm --filter @fabricatio/scanner bench` (builds first via turbo,
// or run `pnpm --filter @fabricatio/scanner... build` before `node bench/bench.mjs`).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PythonPackageScanner, queryInterpreter } from "../dist/index.js";

const PACKAGES = 500;
const REFRESH_RUNS = 30;
const QUERY_CALLS = 2_000_000;
const PYTHON_QUERY_ROUNDS = 20;
const here = dirname(fileURLToPath(import.meta.url));

function writeFixture(sitePackages) {
  const body = "Lorem ipsum dolor sit amet. ".repeat(80);
  for (let index = 0; index < PACKAGES; index += 1) {
    const name = `bench-pkg-${String(index).padStart(3, "0")}`;
    const next = (offset) => `bench-pkg-${String((index + offset) % PACKAGES).padStart(3, "0")}`;
    const directory = join(sitePackages, `${name.replaceAll("-", "_")}-1.${index}.0.dist-info`);
    mkdirSync(directory);
    const headers = [
      "Metadata-Version: 2.1",
      `Name: ${name}`,
      `Version: 1.${index}.0`,
      `Requires-Dist: ${next(1)}>=1.0`,
      `Requires-Dist: ${next(2)}>=1.0; extra == "fast"`,
      `Requires-Dist: ${next(3)}<99,!=1.2.*; extra == "fast" and python_version >= "3.8"`,
      `Requires-Dist: ${next(4)}; extra == "win" and sys_platform == "win32"`,
      `Requires-Dist: missing-${index}; extra == "missing"`,
      "Provides-Extra: fast",
      "Provides-Extra: win",
      "Provides-Extra: missing",
    ];
    writeFileSync(join(directory, "METADATA"), `${headers.join("\n")}\n\n${body}\n`);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const PYTHON = `
import importlib.metadata as md, json, sys, time
from packaging.requirements import Requirement
site, rounds, queries = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
refresh = []
for _ in range(rounds):
    start = time.perf_counter()
    found = {d.metadata["Name"]: d.version for d in md.distributions(path=[site])}
    refresh.append(time.perf_counter() - start)
def installed(name):
    found = list(md.distributions(name=name, path=[site]))
    return found[0].version if found else None
def extra_satisfied(pkg, extra):
    dist = next(iter(md.distributions(name=pkg, path=[site])), None)
    if dist is None or extra not in (dist.metadata.get_all("Provides-Extra") or []): return False
    for text in dist.requires or []:
        req = Requirement(text)
        if req.marker is None or not req.marker.evaluate({"extra": extra}) or req.marker.evaluate({"extra": ""}):
            continue
        version = installed(req.name)
        if version is None or not req.specifier.contains(version, prereleases=True): return False
    return True
start = time.perf_counter()
count = 0
for _ in range(rounds):
    for pkg, extra in queries:
        extra_satisfied(pkg, extra); count += 1
per_query = (time.perf_counter() - start) / count
print(json.dumps({"packages": len(found), "refreshMs": sorted(refresh)[len(refresh)//2] * 1e3, "queryNs": per_query * 1e9,
  "answers": [extra_satisfied(p, e) for p, e in queries]}))
`;

async function main() {
  const sitePackages = mkdtempSync(join(tmpdir(), "scanner-bench-"));
  try {
    writeFixture(sitePackages);
    const { environment } = await queryInterpreter({ python: "python3" });
    const scanner = new PythonPackageScanner({ sitePackages, environment });

    const refreshMs = [];
    for (let run = 0; run < REFRESH_RUNS + 5; run += 1) {
      const start = process.hrtime.bigint();
      await scanner.refresh();
      if (run >= 5) refreshMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const queries = [
      ["bench-pkg-000", "fast"],
      ["bench_pkg.123", "win"],
      ["Bench-Pkg-250", "missing"],
      ["bench-pkg-499", "fast"],
      ["bench-pkg-042", "nope"],
    ];

    const answers = queries.map(([pkg, extra]) => scanner.extraSatisfied(pkg, extra));

    // First query of each package: the lazy METADATA requirement parse, after a refresh emptied the caches.
    await scanner.refresh();
    const firstStart = process.hrtime.bigint();
    for (let index = 0; index < PACKAGES; index += 1) {
      scanner.extraSatisfied(`bench-pkg-${String(index).padStart(3, "0")}`, "fast");
    }
    const firstNs = Number(process.hrtime.bigint() - firstStart) / PACKAGES;

    let sink = 0;
    const start = process.hrtime.bigint();
    for (let call = 0; call < QUERY_CALLS; call += 1) {
      const [pkg, extra] = queries[call % queries.length];
      if (scanner.extraSatisfied(pkg, extra)) sink += 1;
    }
    const cachedNs = Number(process.hrtime.bigint() - start) / QUERY_CALLS;

    const python = JSON.parse(
      execFileSync(
        "python3",
        ["-c", PYTHON, sitePackages, String(PYTHON_QUERY_ROUNDS), JSON.stringify(queries)],
        { maxBuffer: 1 << 24 },
      ).toString(),
    );
    if (JSON.stringify(python.answers) !== JSON.stringify(answers)) {
      throw new Error(`answers differ: python ${python.answers} vs scanner ${answers}`);
    }
    if (python.packages !== scanner.listInstalled().length)
      throw new Error("package counts differ");

    const refresh = median(refreshMs);
    const cpu =
      readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model;
    const pythonVersion = execFileSync("python3", ["--version"]).toString().trim();
    const row = (what, ours, theirs, unit) =>
      `| ${what} | ${ours.toFixed(unit === "ms" ? 2 : 0)} ${unit} | ${theirs.toFixed(unit === "ms" ? 2 : 0)} ${unit} | ${(theirs / ours).toFixed(1)}× |`;
    const report = `# Benchmarks

Command: \`pnpm --filter @fabricatio/scanner bench\` (runs \`node bench/bench.mjs\` on the built package).

Machine: ${cpu}, ${cpus().length} cores, Node ${process.version}, ${pythonVersion}. Run on ${new Date().toISOString().slice(0, 10)}.

Fixture: ${PACKAGES} generated \`*.dist-info\` directories in a temp dir, each METADATA with 5
\`Requires-Dist\` lines (extras, markers, specifiers) and a 2 KB description. Both sides answer the same
${queries.length} \`(package, extra)\` queries and must agree (${answers.join(", ")}).

| measurement | @fabricatio/scanner | python3 importlib.metadata (+ packaging) | Python / scanner |
| --- | --- | --- | --- |
${row(`refresh: index all ${PACKAGES} packages, median of ${REFRESH_RUNS}`, refresh, python.refreshMs, "ms")}
${row(`extraSatisfied, cached (mean of ${QUERY_CALLS.toLocaleString("en")} calls) vs Python per query`, cachedNs, python.queryNs, "ns")}
${row(`extraSatisfied, first call on each of the ${PACKAGES} packages (lazy requirement parse) vs Python per query`, firstNs, python.queryNs, "ns")}

Python times are measured inside the interpreter with \`time.perf_counter\`, so process start-up is
not counted. Python has no cache between queries: each query re-reads the distribution through
\`importlib.metadata\` and parses its requirements with \`packaging\`, as a caller would.

Targets from issue 8: refresh under 50 ms (${refresh < 50 ? "met" : "NOT met"}), cached
\`extraSatisfied\` under 1 µs (${cachedNs < 1000 ? "met" : "NOT met"}).
`;
    writeFileSync(join(here, "..", "BENCHMARKS.md"), report);
    process.stderr.write(`${report}\n(sink ${sink})\n`);
  } finally {
    rmSync(sitePackages, { recursive: true, force: true });
  }
}

await main();
