import path from "node:path";
import { getLogger } from "@fabricatio/logger";
import { parse as parseDotenv } from "dotenv";
import { parse as parseToml } from "smol-toml";
import { ConfigParseError } from "./errors.js";
import { loadJson, loadPyprojectTable, loadToml, readConfigFile } from "./file-loaders.js";

/** One source of configuration values, with where each value came from. */
export interface Layer {
  /** Nested values, as a fabricatio.toml would hold them. */
  readonly data: Record<string, unknown>;
  /** The source of the value at a dotted path inside `data`. */
  sourceOf(path: string): string;
}

const ENV_PREFIX = "FABRICATIO_";
const logger = getLogger("config:loader");

// smol-toml builds its tables without a prototype; dates and other class instances are leaves.
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** An environment value: JSON for arrays and objects, else a TOML scalar, else the raw string. */
export function parseEnvValue(raw: string): unknown {
  const text = raw.trim();
  if (text.startsWith("[") || text.startsWith("{")) {
    try {
      return JSON.parse(text);
    } catch {
      // fall through: it may be a TOML inline array, or just text
    }
  }
  try {
    const value = (parseToml(`value = ${text}`) as { value: unknown }).value;
    if (
      value === null ||
      ["string", "number", "boolean", "bigint"].includes(typeof value) ||
      Array.isArray(value) ||
      isPlainObject(value)
    ) {
      return typeof value === "bigint" ? Number(value) : value;
    }
  } catch {
    // not a TOML value: keep the text
  }
  return raw;
}

/** `FABRICATIO_A__B_C=1` → `{ a: { b_c: 1 } }`, keys lower-cased, with the variable as source. */
export function envLayer(
  env: Readonly<Record<string, string | undefined>>,
  describe: (name: string) => string,
): Layer {
  const data: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || !name.toUpperCase().startsWith(ENV_PREFIX)) continue;
    const segments = name.slice(ENV_PREFIX.length).toLowerCase().split("__");
    if (segments.some((segment) => segment === "")) continue;
    let node = data;
    for (const segment of segments.slice(0, -1)) {
      if (!isPlainObject(node[segment])) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[segments.at(-1)!] = parseEnvValue(raw);
    sources.set(segments.join("."), describe(name));
  }
  return {
    data,
    sourceOf: (dotted) => {
      for (
        let prefix = dotted;
        prefix;
        prefix = prefix.slice(0, Math.max(prefix.lastIndexOf("."), 0))
      ) {
        const source = sources.get(prefix);
        if (source) return source;
      }
      return describe("FABRICATIO_*");
    },
  };
}

/** The variables of a `.env` file; none when it does not exist. */
export function readDotenv(file: string): Record<string, string> {
  const text = readConfigFile(file);
  return text === undefined ? {} : parseDotenv(text);
}

function fileLayer(
  file: string,
  data: Record<string, unknown> | null | undefined,
): Layer | undefined {
  if (!data) return undefined;
  return { data, sourceOf: () => file };
}

// A malformed package.json or pyproject.toml belongs to another tool; it is only our problem
// when it may hold our section.
function mentionsFabricatio(text: string): boolean {
  return text.includes("fabricatio");
}

function ignoreForeign(error: unknown): undefined {
  if (!(error instanceof ConfigParseError)) throw error;
  logger.warn(`Ignoring ${error.message}: the file holds no Fabricatio section`);
  return undefined;
}

/** `<cwd>/fabricatio.toml`. */
export function fabricatioTomlLayer(cwd: string): Layer | undefined {
  return tomlFileLayer(path.join(cwd, "fabricatio.toml"));
}

/** The `[tool.fabricatio]` table of `<cwd>/pyproject.toml`. */
export function pyprojectLayer(cwd: string): Layer | undefined {
  const file = path.join(cwd, "pyproject.toml");
  const text = readConfigFile(file);
  if (text === undefined) return undefined;
  try {
    return fileLayer(file, loadPyprojectTable(file, text));
  } catch (error) {
    if (mentionsFabricatio(text)) throw error;
    return ignoreForeign(error);
  }
}

/** The `"fabricatio"` key of `<cwd>/package.json`. */
export function packageJsonLayer(cwd: string): Layer | undefined {
  const file = path.join(cwd, "package.json");
  const text = readConfigFile(file);
  if (text === undefined) return undefined;
  let manifest: unknown;
  try {
    manifest = loadJson(file, text);
  } catch (error) {
    if (mentionsFabricatio(text)) throw error;
    return ignoreForeign(error);
  }
  const section = (manifest as Record<string, unknown> | null)?.fabricatio;
  return isPlainObject(section) ? fileLayer(file, section) : undefined;
}

/** A TOML file at an absolute path (fabricatio.toml, the global config file). */
export function tomlFileLayer(file: string): Layer | undefined {
  const text = readConfigFile(file);
  return text === undefined ? undefined : fileLayer(file, loadToml(file, text));
}

/** Call-time overrides. */
export function overridesLayer(overrides: Record<string, unknown> | undefined): Layer | undefined {
  return overrides ? { data: overrides, sourceOf: () => "override" } : undefined;
}

/**
 * Merges layers, lowest first, per leaf: tables merge recursively; a scalar or array of a higher
 * layer replaces the lower value whole. Returns the merged data and the source of every leaf.
 */
export function mergeLayers(layers: readonly Layer[]): {
  data: Record<string, unknown>;
  sources: Map<string, string>;
} {
  const data: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  // Forgets the sources under a value being replaced, walking only that value: scanning every
  // recorded source instead made merging quadratic in the number of keys.
  const forget = (prefix: string, replaced: unknown): void => {
    sources.delete(prefix);
    if (!isPlainObject(replaced)) return;
    for (const key in replaced) forget(`${prefix}.${key}`, replaced[key]);
  };
  const apply = (
    target: Record<string, unknown>,
    values: Record<string, unknown>,
    prefix: string,
    layer: Layer,
  ): void => {
    for (const key in values) {
      // A JSON "__proto__" key would otherwise replace the prototype of the merged table.
      if (key === "__proto__") continue;
      const value = values[key];
      const dotted = prefix ? `${prefix}.${key}` : key;
      if (isPlainObject(value)) {
        if (!isPlainObject(target[key])) {
          forget(dotted, target[key]);
          target[key] = {};
        }
        apply(target[key] as Record<string, unknown>, value, dotted, layer);
      } else {
        forget(dotted, target[key]);
        target[key] = value;
        sources.set(dotted, layer.sourceOf(dotted));
      }
    }
  };
  for (const layer of layers) apply(data, layer.data, "", layer);
  return { data, sources };
}
