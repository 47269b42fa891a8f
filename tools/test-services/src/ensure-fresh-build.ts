import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { findOnPath } from "./find-on-path.js";

/** Options of {@link ensureFreshBuild}. */
export interface EnsureFreshBuildOptions {
  /** The package whose build output its tests run. */
  readonly packageDir: string;
  /** Files and folders the build reads, relative to `packageDir`; tests in them are ignored. @default ["src", "package.json", "tsconfig.json", "tsconfig.build.json"] */
  readonly sources?: readonly string[];
  /** The build's output folder, relative to `packageDir`. @default "dist" */
  readonly output?: string;
  /** The command that builds the package, run in `packageDir`. @default ["pnpm", "run", "build"] */
  readonly command?: readonly [string, ...string[]];
  /** Give up on the build after this long. @default 300000 */
  readonly timeoutMs?: number;
  /** Receives the line that says a build is happening. @default a line on stderr */
  readonly log?: (line: string) => void;
}

const DEFAULT_SOURCES = ["src", "package.json", "tsconfig.json", "tsconfig.build.json"];
const TEST_FILE = /\.test(-d)?\.[cm]?tsx?$/;

function newestMtimeMs(target: string, skip: (file: string) => boolean): number | undefined {
  if (!existsSync(target)) return undefined;
  const stat = statSync(target);
  if (!stat.isDirectory()) return skip(target) ? undefined : stat.mtimeMs;
  let newest: number | undefined;
  for (const entry of readdirSync(target)) {
    const mtime = newestMtimeMs(path.join(target, entry), skip);
    if (mtime !== undefined && (newest === undefined || mtime > newest)) newest = mtime;
  }
  return newest;
}

/**
 * Builds the package when its output is missing or older than a source file, so tests that run
 * the built files (a CLI, a bin) never test the code of an earlier edit. Under `pnpm test` turbo
 * has just built it, and this costs one walk over the folders. Resolves whether it built.
 * @throws {Error} naming the package and the command when the build fails or times out
 */
export async function ensureFreshBuild({
  packageDir,
  sources = DEFAULT_SOURCES,
  output = "dist",
  command = ["pnpm", "run", "build"],
  timeoutMs = 300_000,
  log = (line) => process.stderr.write(`${line}\n`),
}: EnsureFreshBuildOptions): Promise<boolean> {
  let newestSource: number | undefined;
  for (const source of sources) {
    const mtime = newestMtimeMs(path.join(packageDir, source), (file) => TEST_FILE.test(file));
    if (mtime !== undefined && (newestSource === undefined || mtime > newestSource))
      newestSource = mtime;
  }
  const newestOutput = newestMtimeMs(path.join(packageDir, output), () => false);
  if (newestOutput !== undefined && (newestSource === undefined || newestOutput >= newestSource)) {
    return false;
  }
  const shown = command.join(" ");
  log(
    `test-services: ${path.join(packageDir, output)} is ${newestOutput === undefined ? "missing" : "older than the sources"}; building first (${shown})`,
  );
  const [program, ...args] = command;
  const executable = findOnPath(program) ?? program;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(executable, args, {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += String(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      text += String(chunk);
    });
    child.once("error", (error) =>
      reject(new Error(`${shown} in ${packageDir} could not start: ${error.message}`)),
    );
    child.once("close", (code, signal) => {
      if (code === 0) return resolve();
      reject(
        new Error(
          signal === "SIGTERM"
            ? `${shown} in ${packageDir} did not finish within ${timeoutMs} ms`
            : `${shown} in ${packageDir} exited with ${code ?? signal}:\n${text.trim()}`,
        ),
      );
    });
  });
  return true;
}
