import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import type { PackagingAnswers, PythonFacts } from "./python-facts.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const CANDIDATES = ["python3", "python"];
// One interpreter start plus the corpus: about a second alone, several under a full parallel
// `pnpm test` on two cores, more through a pyenv shim.
const TIMEOUT_MS = 120_000;

type Outcome = { kind: "missing" } | { kind: "ok"; stdout: string };

function runOracle(command: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [path.join(here, "packaging-oracle.py"), path.join(here, "fixtures/packaging-corpus.json")],
      { timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ kind: "ok", stdout });
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return resolve({ kind: "missing" });
        reject(
          new Error(
            error.killed
              ? `${command} packaging-oracle.py gave no answer within ${TIMEOUT_MS} ms`
              : `${command} packaging-oracle.py failed: ${stderr.trim() || error.message}`,
          ),
        );
      },
    );
  });
}

/**
 * Resolves and asks the Python interpreter once for the whole run: its own facts and packaging's
 * answers over the shared corpus, given to every test file as `inject("python")`.
 */
export default async function setup(project: TestProject): Promise<void> {
  for (const command of CANDIDATES) {
    const outcome = await runOracle(command);
    if (outcome.kind === "missing") continue;
    const { interpreter, answers, reason } = JSON.parse(outcome.stdout) as {
      interpreter: Omit<PythonFacts, "command" | "answers">;
      answers: PackagingAnswers | null;
      reason: string | null;
    };
    let used = answers;
    if (!used) {
      const recording = path.join(here, "fixtures/packaging-answers.json");
      used = JSON.parse(readFileSync(recording, "utf8")) as PackagingAnswers;
      process.stderr.write(
        `scanner tests: ${reason}; comparing with the answers of ${used.source} recorded in ${recording}\n`,
      );
    }
    project.provide("python", { command, ...interpreter, answers: used });
    return;
  }
  throw new Error(
    `The scanner tests need a Python interpreter, and neither ${CANDIDATES.join(" nor ")} is on PATH (apt-get install -y python3)`,
  );
}
