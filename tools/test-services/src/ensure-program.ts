import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { findOnPath } from "./find-on-path.js";
import { MissingServiceError } from "./missing-service-error.js";

/** A program the tests need and the packages that provide it. */
export interface ProgramSpec {
  /** The executable looked up on PATH, e.g. `redis-server`. */
  readonly program: string;
  /** The Debian/Ubuntu package that installs it. */
  readonly aptPackage: string;
  /** The Homebrew formula that installs it, for the hint on macOS. */
  readonly brewFormula?: string;
}

/** Options of {@link ensureProgram}; every default reads the real machine at call time. */
export interface EnsureProgramOptions {
  /** Environment whose PATH is searched and passed to apt-get. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Whether this process may install packages. @default process.getuid() === 0 */
  readonly isRoot?: boolean;
  /** Decides the install hint when installing is not possible. @default process.platform */
  readonly platform?: NodeJS.Platform;
  /**
   * The file `flock` holds while one process installs, so parallel test runs (turbo starts every
   * package at once) install once and the others wait. @default `<tmpdir>/fabricatio-test-services-apt.lock`
   */
  readonly lockFile?: string;
  /** Give up waiting for the lock plus `apt-get update` and `install` after this long. @default 600000 */
  readonly installTimeoutMs?: number;
  /** Receives the one line that says an install is happening, and the one that says it is done. @default a line on stderr */
  readonly log?: (line: string) => void;
}

const DEFAULT_INSTALL_TIMEOUT_MS = 600_000;

// Runs under flock: the first holder installs, the ones that waited find the program and leave.
// "$1" is the program, "$2" the apt package; the marker line tells the caller an install started.
const INSTALL_SCRIPT = `
if command -v "$1" >/dev/null 2>&1; then exit 0; fi
echo "@@installing"
apt-get -o DPkg::Lock::Timeout=300 update -qq || exit $?
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$2"
`;

/** The command a person should run to install `spec` on this kind of machine. */
export function installCommand(
  spec: ProgramSpec,
  { platform, isRoot, hasApt }: { platform: NodeJS.Platform; isRoot: boolean; hasApt: boolean },
): string {
  if (hasApt) {
    const sudo = isRoot ? "" : "sudo ";
    return `${sudo}apt-get update && ${sudo}apt-get install -y ${spec.aptPackage}`;
  }
  if (platform === "darwin" && spec.brewFormula) return `brew install ${spec.brewFormula}`;
  return `your system's package manager's equivalent of: apt-get install -y ${spec.aptPackage}`;
}

const pending = new Map<string, Promise<string>>();

/**
 * The absolute path of `spec.program` on PATH. When it is missing and this process runs as root on
 * a machine with apt-get, installs `spec.aptPackage` once (serialised with `flock` across
 * processes), saying so in one line. Otherwise fails at once with the exact command to run.
 * Concurrent calls in one process share one lookup.
 * @throws {MissingServiceError} naming the program and the command that installs it
 */
export function ensureProgram(
  spec: ProgramSpec,
  options: EnsureProgramOptions = {},
): Promise<string> {
  const env = options.env ?? process.env;
  const found = findOnPath(spec.program, env);
  if (found) return Promise.resolve(found);
  // Only the default environment is shared: a caller with its own env asks its own question.
  if (options.env !== undefined) return install(spec, options);
  let promise = pending.get(spec.program);
  if (!promise) {
    promise = install(spec, options).finally(() => pending.delete(spec.program));
    pending.set(spec.program, promise);
  }
  return promise;
}

async function install(spec: ProgramSpec, options: EnsureProgramOptions): Promise<string> {
  const env = options.env ?? process.env;
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  const platform = options.platform ?? process.platform;
  const aptGet = findOnPath("apt-get", env);
  const command = installCommand(spec, { platform, isRoot, hasApt: aptGet !== undefined });
  if (!aptGet) throw new MissingServiceError(spec.program, command, "apt-get is not available");
  if (!isRoot) {
    throw new MissingServiceError(
      spec.program,
      command,
      "this process is not root, so it cannot install it",
    );
  }
  const flock = findOnPath("flock", env);
  if (!flock) {
    throw new MissingServiceError(
      spec.program,
      command,
      "flock (util-linux), which keeps parallel test runs from installing at once, is missing",
    );
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const lockFile = options.lockFile ?? path.join(tmpdir(), "fabricatio-test-services-apt.lock");
  const timeoutMs = options.installTimeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS;
  const startedAt = Date.now();
  const installed = await runLocked({
    flock,
    lockFile,
    env,
    timeoutMs,
    spec,
    onInstalling: () =>
      log(
        `test-services: ${spec.program} is not on PATH; installing the apt package ${spec.aptPackage} ` +
          `(apt-get update && apt-get install -y ${spec.aptPackage}), once for every test run on this machine`,
      ),
  }).catch((error: unknown) => {
    throw new MissingServiceError(
      spec.program,
      command,
      `installing it failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  });
  const location = findOnPath(spec.program, env);
  if (!location) {
    throw new MissingServiceError(
      spec.program,
      command,
      `apt-get installed ${spec.aptPackage}, but no directory of PATH (${env.PATH ?? ""}) holds ${spec.program}`,
    );
  }
  if (installed) {
    log(
      `test-services: installed ${spec.program} at ${location} in ${Math.round((Date.now() - startedAt) / 1000)} s`,
    );
  }
  return location;
}

/** Runs the install script under the lock; resolves whether this process did the install. */
function runLocked({
  flock,
  lockFile,
  env,
  timeoutMs,
  spec,
  onInstalling,
}: {
  flock: string;
  lockFile: string;
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
  spec: ProgramSpec;
  onInstalling: () => void;
}): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      flock,
      [lockFile, "sh", "-c", INSTALL_SCRIPT, "sh", spec.program, spec.aptPackage],
      {
        env: { ...env, DEBIAN_FRONTEND: "noninteractive" },
        stdio: ["ignore", "pipe", "pipe"],
        timeout: timeoutMs,
      },
    );
    let installing = false;
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const text = String(chunk);
      if (!installing && text.includes("@@installing")) {
        installing = true;
        onInstalling();
      }
      output += text.replace("@@installing\n", "");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += String(chunk);
    });
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) return resolve(installing);
      const tail = output.trim().split("\n").slice(-5).join("\n");
      reject(
        new Error(
          signal === "SIGTERM"
            ? `no result within ${timeoutMs} ms (waiting for the lock ${lockFile} or apt-get)`
            : `apt-get exited with ${code ?? signal}${tail ? `:\n${tail}` : ""}`,
        ),
      );
    });
  });
}
