import path from "node:path";
import { globalConfigFile, TEMPLATES_DIRNAME, templatesDir } from "@fabricatio/constants";
import { getLogger } from "@fabricatio/logger";
import { Config } from "./config.js";
import { didYouMean } from "./did-you-mean.js";
import { type ConfigIssue, ConfigValidationError } from "./errors.js";
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
import { type ConfigSections, configSchema, SECTION_NAMES } from "./schema.js";
import { SecretStr } from "./secret-str.js";

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
}

const logger = getLogger("config:loader");

function valueAt(data: unknown, keys: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of keys) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function redactKeys(keys: readonly PropertyKey[], value: unknown): unknown {
  const secret = keys.includes("providers") && (keys.at(-1) === "key" || keys.includes("keys"));
  return secret ? "SecretStr(REDACTED)" : value;
}

/**
 * Loads the configuration from every source, merged per key, highest first: `overrides`, `.env`,
 * `FABRICATIO_*` environment variables, `fabricatio.toml`, `pyproject.toml` `[tool.fabricatio]`,
 * `package.json` `"fabricatio"`, the global file, built-in defaults. Pure: reads only what the
 * options point at and changes nothing (`.env` does not touch `process.env`).
 * @throws {ConfigParseError} for a malformed file (file, line, column)
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
    fabricatioTomlLayer(cwd),
    envLayer(env, (name) => `env ${name}`),
    envLayer(dotenvValues, (name) => `${dotenvFile} ${name}`),
    overridesLayer(options.overrides),
  ].filter((layer): layer is Layer => layer !== undefined);
  const { data, sources } = mergeLayers(layers);

  for (const section of Object.keys(data)) {
    if (SECTION_NAMES.includes(section)) continue;
    const suggestion = didYouMean(section, SECTION_NAMES);
    logger.warn(
      `Unknown configuration table [${section}] (from ${sources.get(section) ?? [...sources].find(([key]) => key.startsWith(`${section}.`))?.[1] ?? "unknown"}) is ignored${suggestion ? `; did you mean [${suggestion}]?` : ""}`,
    );
    delete data[section];
  }

  const schema = configSchema([TEMPLATES_DIRNAME, templatesDir(platformOptions)]);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues: ConfigIssue[] = parsed.error.issues.map((issue) => {
      const keyPath = issue.path.map(String).join(".");
      let source = "default";
      for (
        let prefix = keyPath;
        prefix;
        prefix = prefix.includes(".") ? prefix.slice(0, prefix.lastIndexOf(".")) : ""
      ) {
        const found = sources.get(prefix);
        if (found) {
          source = found;
          break;
        }
      }
      return {
        path: keyPath,
        value: redactKeys(issue.path, valueAt(data, issue.path)),
        rule: issue.message,
        source,
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
  return new Config({ ...sections, routing } as ConfigSections, sources);
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
