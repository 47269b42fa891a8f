import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startMockLlm } from "@fabricatio/mock-llm";
import { type BlockAction, planBlock } from "./block-plan.js";
import { checkToml } from "./check-toml.js";
import { expectedLines, firstMissingLine } from "./expected-output.js";
import { type CodeBlock, extractBlocks } from "./extract-blocks.js";
import { findPlaceholders } from "./find-placeholders.js";
import { findReadmes } from "./find-readmes.js";
import { createRunEnvironment, type MockEndpoints } from "./run-environment.js";
import { type ProcessResult, runProcess } from "./run-process.js";
import { type Snippet, typeCheckSnippets } from "./type-check-snippets.js";

/** Kinds of failure, one per way a README block can be wrong. */
export type FailureKind =
  | "marker"
  | "type-error"
  | "placeholder"
  | "prints-not-run"
  | "runtime-error"
  | "timeout"
  | "wrong-output"
  | "toml"
  | "json";

/** One thing wrong with a block. */
export interface BlockFailure {
  readonly kind: FailureKind;
  /** The README line it concerns, 1-based. */
  readonly line: number;
  readonly message: string;
}

/** A block with what was done to it and what failed. */
export interface CheckedBlock {
  readonly block: CodeBlock;
  readonly action: BlockAction;
  readonly failures: readonly BlockFailure[];
}

/** What {@link checkReadmes} found. */
export interface CheckReport {
  readonly blocks: readonly CheckedBlock[];
  /** Problems of the check itself (a prelude that does not compile): every block is suspect. */
  readonly globalErrors: readonly string[];
}

/** Options of {@link checkReadmes}. */
export interface CheckReadmesOptions {
  /** The repository root; files are named relative to it. */
  readonly root: string;
  /** The Markdown files to check, relative to `root`. @default findReadmes(root) */
  readonly files?: readonly string[];
  /** Longest run of one runnable block in ms. @default 60000 */
  readonly runTimeoutMs?: number;
  /** Keep the generated project (snippets, tsconfig, emitted JavaScript) for inspection. */
  readonly keepProject?: boolean;
}

/** Default of `runTimeoutMs`. */
export const DEFAULT_RUN_TIMEOUT_MS = 60_000;

// src/ or dist/: the package root is one level up either way.
const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PRELUDE_FILE = path.join(PACKAGE_DIR, "prelude", "fragments.d.ts");
// Under the package, so snippet imports resolve through its node_modules as a user's would.
const PROJECTS_DIR = path.join(PACKAGE_DIR, ".snippets");
const BIN_DIR = path.join(PACKAGE_DIR, "node_modules", ".bin");

function snippetName(block: CodeBlock): string {
  return `${block.file.replace(/\.md$/i, "").replace(/[^A-Za-z0-9]+/g, "_")}-L${block.line}.ts`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The output's last lines, snippet file positions rewritten as README positions. */
function outputTail(result: ProcessResult, sourcePath: string, block: CodeBlock): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-12).join("\n");
  const forms = [pathToFileURL(sourcePath).href, sourcePath].map(escapeRegExp).join("|");
  return text.replace(
    new RegExp(`(?:${forms}):(\\d+)`, "g"),
    (_match, line: string) => `${block.file}:${block.line + Number(line)}`,
  );
}

/** Failures of a finished run: a non-zero exit, a timeout, a `prints:` line not printed. */
function runFailures(
  result: ProcessResult,
  block: CodeBlock,
  sourcePath: string,
  timeoutMs: number,
  commentStart: "//" | "#",
): BlockFailure[] {
  if (result.timedOut) {
    return [
      {
        kind: "timeout",
        line: block.line,
        message: `still running after ${timeoutMs} ms; output so far:\n${outputTail(result, sourcePath, block)}`,
      },
    ];
  }
  if (result.code !== 0) {
    return [
      {
        kind: "runtime-error",
        line: block.line,
        message: `exits ${result.code ?? result.signal}:\n${outputTail(result, sourcePath, block)}`,
      },
    ];
  }
  const missing = firstMissingLine(expectedLines(block.code, commentStart), result.stdout);
  return missing
    ? [
        {
          kind: "wrong-output",
          line: block.line + missing.line,
          message: `does not print ${JSON.stringify(missing.text)} (in order); it printed:\n${result.stdout.trimEnd() || "(nothing)"}`,
        },
      ]
    : [];
}

/**
 * Checks the code blocks of Markdown files as a reader would use them (see the package README):
 * TypeScript blocks are type-checked as files of a user's project against the built packages
 * (fragments with the shared prelude), blocks marked `run` are run against a mock LLM server
 * started here, with the endpoint and key in the environment and a generated `fabricatio.toml`,
 * `prints:` comments are compared with what they print, TOML blocks are loaded with
 * @fabricatio/config, JSON blocks parsed. Never throws for a broken block: every failure is in
 * the report.
 */
export async function checkReadmes({
  root,
  files = findReadmes(root),
  runTimeoutMs = DEFAULT_RUN_TIMEOUT_MS,
  keepProject = false,
}: CheckReadmesOptions): Promise<CheckReport> {
  const planned = files.flatMap((file) =>
    extractBlocks(readFileSync(path.join(root, file), "utf8"), file).map((block) => ({
      block,
      plan: planBlock(block),
      failures: [] as BlockFailure[],
    })),
  );
  for (const item of planned) {
    if (item.plan.problem) {
      item.failures.push({ kind: "marker", line: item.block.line, message: item.plan.problem });
    }
  }

  const typescript = planned.filter(({ plan }) =>
    ["type-check", "type-check-fragment", "run"].includes(plan.action),
  );
  const snippets: Snippet[] = typescript.map(({ block, plan }) => ({
    fileName: snippetName(block),
    code: block.code,
    fragment: plan.action === "type-check-fragment",
    emit: plan.action === "run",
  }));
  mkdirSync(PROJECTS_DIR, { recursive: true });
  const projectDir = path.join(PROJECTS_DIR, `${process.pid}-${Date.now()}`);
  const globalErrors: string[] = [];
  let mock: Awaited<ReturnType<typeof startMockLlm>> | undefined;
  try {
    const compiled = typeCheckSnippets({ projectDir, snippets, preludeFile: PRELUDE_FILE });
    globalErrors.push(...compiled.globalErrors);
    for (const item of typescript) {
      const { block, plan, failures } = item;
      for (const diagnostic of compiled.diagnostics.get(snippetName(block)) ?? []) {
        failures.push({
          kind: "type-error",
          line: block.line + diagnostic.line,
          message: `${block.file}:${block.line + diagnostic.line}:${diagnostic.column} ${diagnostic.message}`,
        });
      }
      for (const placeholder of findPlaceholders(block.code)) {
        failures.push({
          kind: "placeholder",
          line: block.line + placeholder.line,
          message: `the string ${placeholder.text} holds "…"; a reader copies it as is: write placeholders in ASCII, such as "sk-your-key"`,
        });
      }
      if (plan.action !== "run") {
        for (const expected of expectedLines(block.code, "//")) {
          failures.push({
            kind: "prints-not-run",
            line: block.line + expected.line,
            message:
              "a `prints:` comment in a block that is not run: mark the block `run`, or make it a plain comment",
          });
        }
      }
    }

    const runnable = planned.filter(
      ({ plan, failures }) =>
        (plan.action === "run" || plan.action === "run-shell") && failures.length === 0,
    );
    if (runnable.length > 0) {
      mock = await startMockLlm({ record: false });
      const endpoints: MockEndpoints = { url: mock.url, origin: mock.origin };
      for (const { block, plan, failures } of runnable) {
        const environment = createRunEnvironment({ endpoints, binDirs: [BIN_DIR] });
        try {
          const sourcePath = path.join(projectDir, "src", snippetName(block));
          const output = compiled.outputs.get(snippetName(block));
          const result =
            plan.action === "run"
              ? await runProcess({
                  command: process.execPath,
                  args: ["--enable-source-maps", output ?? sourcePath],
                  cwd: environment.cwd,
                  env: environment.env,
                  timeoutMs: runTimeoutMs,
                })
              : await runProcess({
                  command: "bash",
                  args: ["-e", "-o", "pipefail", "-c", block.code],
                  cwd: environment.cwd,
                  env: environment.env,
                  timeoutMs: runTimeoutMs,
                });
          failures.push(
            ...runFailures(
              result,
              block,
              sourcePath,
              runTimeoutMs,
              plan.action === "run" ? "//" : "#",
            ),
          );
        } finally {
          rmSync(environment.root, { recursive: true, force: true });
        }
      }
    }

    for (const { block, plan, failures } of planned) {
      if (plan.action === "load-toml" || plan.action === "load-toml-fragment") {
        const problems = await checkToml(block.code, {
          fragment: plan.action === "load-toml-fragment",
        });
        for (const problem of problems)
          failures.push({ kind: "toml", line: block.line, message: problem });
      } else if (plan.action === "parse-json") {
        try {
          JSON.parse(block.code);
        } catch (error) {
          failures.push({
            kind: "json",
            line: block.line,
            message: `not JSON: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
      }
    }
  } finally {
    await mock?.close();
    if (!keepProject && existsSync(projectDir))
      rmSync(projectDir, { recursive: true, force: true });
  }

  const blocks = planned.map(({ block, plan, failures }) => ({
    block,
    action: plan.action,
    failures: failures.sort((a, b) => a.line - b.line),
  }));
  return { blocks, globalErrors };
}
