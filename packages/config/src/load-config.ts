import { existsSync } from "node:fs";
import path from "node:path";
import { globalConfigFile, TEMPLATES_DIRNAME, templatesDir } from "@fabricatio/constants";
import { getLogger } from "@fabricatio/logger";
import { Config } from "./config.js";
import { didYouMean } from "./did-you-mean.js";
import { ConfigFileError, type ConfigIssue, ConfigValidationError } from "./errors.js";
import {
  envLayer,
  fabricatioTomlLayer,
  type Layer,
  mergeLayers,
  overridesLayer,
  packageJsonLayer,
  pyprojectLayer,
  readDotenv,
  tomlFileLayer,
} from "./layers.js";
import { redactConfigValue, registerConfigSecrets } from "./redact-config.js";
import { type ConfigSections, configSchema, SECTION_NAMES } from "./schema.js";
import { SecretStr } from "./secret-str.js";
import { findUnknownKeys } from "./unknown-keys.js";

/** Where `loadConfig` reads from. Every field defaults to the running process's. */
export interface LoadConfigOptions {
  /** Folder holding `fabricatio.toml`, `pyproject.toml`, `package.json` and `.env`. @default process.cwd() */
  cwd?: string;
  /** Environment variables. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The global config file. @default `<roamingDir>/fabricatio.toml` from @fabricatio/constants */
  globalConfigPath?: string;
  /** Values that win over every source, as nested tables: `{ llm: { temperature: 0 } }`. */
  overrides?: Record<string, unknown>;
  /** Operating system used to compute the default global paths. @default process.platform */
  platform?: NodeJS.Platform;
  /** Home directory used to compute the default global paths. @default os.homedir() */
  homeDir?: string;
  /** Read `<cwd>/.env`. @default true */
  dotenv?: boolean;
  /**
   * A TOML file read in place of `<cwd>/fabricatio.toml` (same precedence), resolved against
   * `cwd`; it must exist. `fabricatio serve --config <file>` passes it. @default none
   */
  configFile?: string;
}

const logger = getLogger("config:loader");

// An explicit file that is missing is the caller's mistake, not an absent optional source.
function explicitFileLayer(cwd: string, file: string): Layer | undefined {
  const resolved = path.resolve(cwd, file);
  if (!existsSync(resolved)) throw new ConfigFileError(resolved, "does not exist");
  return tomlFileLayer(resolved);
}

function valueAt(data: unknown, keys: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of keys) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

let shapeSchema: ReturnType<typeof configSchema> | undefined;

// Warnings past this many would bury the first ones; the rest are counted.
const MAX_UNKNOWN_KEY_WARNINGS = 20;

/** The source of the value at `keyPath`: its own, an enclosing table's, or its first leaf's. */
function sourceFor(sources: ReadonlyMap<string, string>, keyPath: string): string {
  for (
    let prefix = keyPath;
    prefix;
    prefix = prefix.includes(".") ? prefix.slice(0, prefix.lastIndexOf(".")) : ""
  ) {
    const found = sources.get(prefix);
    if (found) return found;
  }
  for (const [key, source] of sources) if (key.startsWith(`${keyPath}.`)) return source;
  return "default";
}

/** Warns about (and drops) unknown tables, and warns about unknown keys of known tables. */
function warnUnknownKeys(
  data: Record<string, unknown>,
  sources: ReadonlyMap<string, string>,
): void {
  let warned = 0;
  for (const section of Object.keys(data)) {
    if (SECTION_NAMES.includes(section)) continue;
    const suggestion = didYouMean(section, SECTION_NAMES);
    if (warned++ < MAX_UNKNOWN_KEY_WARNINGS) {
      logger.warn(
        `Unknown configuration table [${section}] (from ${sourceFor(sources, section)}) is ignored${suggestion ? `; did you mean [${suggestion}]?` : ""}`,
      );
    }
    delete data[section];
  }
  // [ext] belongs to the extensions, which validate it themselves.
  const known = { ...data };
  delete known.ext;
  shapeSchema ??= configSchema([]);
  for (const unknown of findUnknownKeys(shapeSchema, known)) {
    if (warned++ >= MAX_UNKNOWN_KEY_WARNINGS) continue;
    const parent = unknown.path.slice(0, unknown.path.lastIndexOf("."));
    logger.warn(
      `Unknown configuration key ${unknown.path} (from ${sourceFor(sources, unknown.path)}) is ignored${unknown.suggestion ? `; did you mean ${parent}.${unknown.suggestion}?` : ""}`,
    );
  }
  if (warned > MAX_UNKNOWN_KEY_WARNINGS) {
    logger.warn(`${warned - MAX_UNKNOWN_KEY_WARNINGS} more unknown configuration keys are ignored`);
  }
}

/**
 * Loads the configuration from every source, merged per key, highest first: `overrides`, `.env`,
 * `FABRICATIO_*` environment variables, `fabricatio.toml`, `pyproject.toml` `[tool.fabricatio]`,
 * `package.json` `"fabricatio"`, the global file, built-in defaults. Pure: reads only what the
 * options point at and changes nothing (`.env` does not touch `process.env`).
 * Keys no table declares are dropped with a warning naming a close match (`tempreature`: did you
 * mean `llm.temperature`?). Every secret found (API keys, MCP `env` values and `headers`) is
 * registered with `registerSecret` of @fabricatio/logger, so no later output shows it. A
 * malformed package.json or pyproject.toml that does not mention `fabricatio` is skipped with a
 * warning: it cannot hold our section.
 * @throws {ConfigParseError} for a malformed file (file, line, column)
 * @throws {ConfigFileError} when a source file is a directory or cannot be read, or `configFile`
 * does not exist
 * @throws {ConfigValidationError} listing every invalid value with its key path, rule and source
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const platformOptions = { env, platform: options.platform, homeDir: options.homeDir };
  const globalPath = options.globalConfigPath ?? globalConfigFile(platformOptions);
  const dotenvValues = options.dotenv === false ? {} : readDotenv(path.join(cwd, ".env"));
  const dotenvFile = path.join(cwd, ".env");

  // Lowest first.
  const layers = [
    tomlFileLayer(globalPath),
    packageJsonLayer(cwd),
    pyprojectLayer(cwd),
    options.configFile === undefined
      ? fabricatioTomlLayer(cwd)
      : explicitFileLayer(cwd, options.configFile),
    envLayer(env, (name) => `env ${name}`),
    envLayer(dotenvValues, (name) => `${dotenvFile} ${name}`),
    overridesLayer(options.overrides),
  ].filter((layer): layer is Layer => layer !== undefined);
  const { data, sources } = mergeLayers(layers);

  registerConfigSecrets(data);
  warnUnknownKeys(data, sources);

  const schema = configSchema([TEMPLATES_DIRNAME, templatesDir(platformOptions)]);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues: ConfigIssue[] = parsed.error.issues.map((issue) => {
      const keyPath = issue.path.map(String).join(".");
      return {
        path: keyPath,
        value: redactConfigValue(issue.path as (string | number)[], valueAt(data, issue.path)),
        rule: issue.message,
        source: sourceFor(sources, keyPath),
      };
    });
    throw new ConfigValidationError(issues);
  }
  const sections = parsed.data;
  const routing = {
    ...sections.routing,
    providers: sections.routing.providers.map(({ key, keys, ...provider }) => ({
      ...provider,
      ...(key === undefined ? {} : { key: new SecretStr(key) }),
      ...(keys === undefined ? {} : { keys: keys.map((item) => new SecretStr(item)) }),
    })),
  };
  const gateway = {
    ...sections.gateway,
    keys: sections.gateway.keys.map(({ key, ...entry }) => ({ ...entry, key: new SecretStr(key) })),
  };
  return new Config({ ...sections, routing, gateway } as ConfigSections, sources);
}

let processConfig: Config | undefined;

/**
 * The process-wide configuration, loaded on first call from the current directory and
 * environment, then reused. `resetConfig()` forgets it.
 * @throws {ConfigParseError} | {ConfigValidationError} as `loadConfig`
 */
export function getConfig(): Config {
  processConfig ??= loadConfig();
  return processConfig;
}

/** Forgets the process-wide configuration so the next `getConfig()` loads it again. */
export function resetConfig(): void {
  processConfig = undefined;
}
