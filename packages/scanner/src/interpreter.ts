import { execFile } from "node:child_process";
import { getLogger } from "@fabricatio/logger";
import { InterpreterNotFoundError, InterpreterOutputError } from "./errors.js";
import type { MarkerEnvironment } from "./types.js";

/** What one run of the interpreter tells the scanner. */
export interface InterpreterInfo {
  /** The interpreter command that answered. */
  readonly python: string;
  /** `sysconfig.get_paths()["purelib"]`. */
  readonly purelib: string;
  /** The PEP 508 marker environment, computed as `packaging` does. */
  readonly environment: MarkerEnvironment;
}

/** Options of {@link queryInterpreter}. */
export interface QueryInterpreterOptions {
  /** Interpreter command or path. @default tries "python3", then "python" */
  readonly python?: string;
  /** Environment variables for the child process. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Give up after this long. @default 15000 */
  readonly timeoutMs?: number;
}

// The same values packaging.markers.default_environment() computes.
const SCRIPT = `
import json, os, platform, sys, sysconfig
def full(info):
    v = "%d.%d.%d" % (info.major, info.minor, info.micro)
    return v if info.releaselevel == "final" else v + info.releaselevel[0] + str(info.serial)
print(json.dumps({
    "purelib": sysconfig.get_paths()["purelib"],
    "environment": {
        "implementation_name": sys.implementation.name,
        "implementation_version": full(sys.implementation.version),
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    },
}))
`;

const ENVIRONMENT_KEYS: readonly (keyof MarkerEnvironment)[] = [
  "implementation_name",
  "implementation_version",
  "os_name",
  "platform_machine",
  "platform_release",
  "platform_system",
  "platform_version",
  "python_full_version",
  "platform_python_implementation",
  "python_version",
  "sys_platform",
];

const logger = () => getLogger("scanner:interpreter");

/**
 * Runs the Python interpreter once and returns its `purelib` directory and marker environment.
 * @throws {InterpreterNotFoundError} when no candidate interpreter could be started (names them all)
 * @throws {InterpreterOutputError} when it exits non-zero or prints something other than the expected JSON
 */
export async function queryInterpreter(
  options: QueryInterpreterOptions = {},
): Promise<InterpreterInfo> {
  const candidates = options.python ? [options.python] : ["python3", "python"];
  let lastError: unknown;
  for (const python of candidates) {
    const outcome = await run(python, options);
    if (outcome.kind === "missing") {
      lastError = outcome.error;
      logger().debug(`interpreter "${python}" could not be started`);
      continue;
    }
    if (outcome.kind === "failed") {
      throw new InterpreterOutputError(python, `exited with ${outcome.detail}`, {
        cause: outcome.error,
      });
    }
    return parseAnswer(python, outcome.stdout);
  }
  throw new InterpreterNotFoundError(candidates, { cause: lastError });
}

type RunOutcome =
  | { kind: "missing"; error: unknown }
  | { kind: "failed"; detail: string; error: unknown }
  | { kind: "ok"; stdout: string };

function run(python: string, options: QueryInterpreterOptions): Promise<RunOutcome> {
  return new Promise((resolve) => {
    execFile(
      python,
      ["-c", SCRIPT],
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 15_000, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return resolve({ kind: "ok", stdout });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "EACCES") return resolve({ kind: "missing", error });
        const detail = `${error.code ?? error.signal ?? "an error"}: ${stderr.trim().split("\n").pop() ?? ""}`;
        resolve({ kind: "failed", detail, error });
      },
    );
  });
}

function parseAnswer(python: string, stdout: string): InterpreterInfo {
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch (error) {
    throw new InterpreterOutputError(python, `output is not JSON: ${stdout.slice(0, 80)}`, {
      cause: error,
    });
  }
  const { purelib, environment } = (answer ?? {}) as Record<string, unknown>;
  if (typeof purelib !== "string" || typeof environment !== "object" || environment === null) {
    throw new InterpreterOutputError(python, "answer lacks purelib or environment");
  }
  for (const key of ENVIRONMENT_KEYS) {
    if (typeof (environment as Record<string, unknown>)[key] !== "string") {
      throw new InterpreterOutputError(python, `environment lacks "${key}"`);
    }
  }
  return { python, purelib, environment: environment as MarkerEnvironment };
}
