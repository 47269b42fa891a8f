import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** The key every provider of a run is given: ASCII, as a real key is. */
export const RUN_API_KEY = "sk-readme-check";

/** Where a runnable snippet meets the mock server. */
export interface MockEndpoints {
  /** OpenAI-compatible base URL, `http://127.0.0.1:PORT/v1`. */
  readonly url: string;
  /** Origin, the base URL of the Anthropic and Gemini APIs. */
  readonly origin: string;
}

/** A fresh working folder for one run and the environment to run in. */
export interface RunEnvironment {
  /** The temporary folder holding `cwd` and the home folder; remove it after the run. */
  readonly root: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The `fabricatio.toml` a run finds in its working folder, as a user would have written one for
 * the mock: one OpenAI-compatible provider, a deployment per kind, and two MCP servers by the
 * names the READMEs use (`files` over the working folder, `everything`).
 */
export function runConfigToml(endpoints: MockEndpoints): string {
  return [
    "[llm]",
    'send_to = "chat"',
    "",
    "[agent]",
    'task = "chat"',
    "",
    "[embedding]",
    'send_to = "embed"',
    "ndim = 8",
    "",
    "[reranker]",
    'send_to = "rerank"',
    "",
    "[routing]",
    "providers = [",
    `  { ptype = "OpenAICompatible", name = "openai", key = ${JSON.stringify(RUN_API_KEY)}, base_url = ${JSON.stringify(endpoints.url)} },`,
    "]",
    'completion_deployments = [{ id = "openai/gpt-4o-mini", group = "chat" }]',
    'embedding_deployments = [{ id = "openai/text-embedding-3-small", group = "embed" }]',
    'reranker_deployments = [{ id = "openai/rerank-english-v3", group = "rerank" }]',
    "",
    "[mcp.servers.files]",
    'command = "mcp-server-filesystem"',
    'args = ["."]',
    "",
    "[mcp.servers.everything]",
    'command = "mcp-server-everything"',
    'args = ["stdio"]',
    "",
  ].join("\n");
}

/** Options of {@link createRunEnvironment}. */
export interface RunEnvironmentOptions {
  readonly endpoints: MockEndpoints;
  /** Folders put first on `PATH`: the `node_modules/.bin` holding the packages' commands. */
  readonly binDirs: readonly string[];
  /** Environment of the checker, for `PATH`, `LANG` and `TMPDIR` only. */
  readonly parentEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * A new temporary folder holding the run's `fabricatio.toml`, and an environment built from
 * scratch: the endpoint and key as the READMEs tell users to set them (`OPENAI_API_KEY` and
 * `OPENAI_BASE_URL`, the Anthropic and Gemini pairs), the home and XDG folders inside the run
 * folder (so no global config, cache or `.env` of the machine is read), and nothing else of the
 * checker's environment but `PATH`, `LANG` and `TMPDIR`.
 */
export function createRunEnvironment({
  endpoints,
  binDirs,
  parentEnv = process.env,
}: RunEnvironmentOptions): RunEnvironment {
  const root = mkdtempSync(path.join(tmpdir(), "readme-check-run-"));
  const cwd = path.join(root, "project");
  const home = path.join(root, "home");
  mkdirSync(cwd);
  mkdirSync(home);
  writeFileSync(path.join(cwd, "fabricatio.toml"), runConfigToml(endpoints));
  const env: Record<string, string> = {
    PATH: [...binDirs, path.dirname(process.execPath), parentEnv.PATH ?? ""].join(path.delimiter),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    NO_COLOR: "1",
    OPENAI_API_KEY: RUN_API_KEY,
    OPENAI_BASE_URL: endpoints.url,
    ANTHROPIC_API_KEY: RUN_API_KEY,
    ANTHROPIC_BASE_URL: endpoints.origin,
    GEMINI_API_KEY: RUN_API_KEY,
    GOOGLE_GEMINI_BASE_URL: endpoints.origin,
  };
  for (const name of ["LANG", "TMPDIR"]) {
    const value = parentEnv[name];
    if (value) env[name] = value;
  }
  return { root, cwd, env };
}
