import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { cosmiconfigSync } from "cosmiconfig";
import { parse as parseDotenv } from "dotenv";
import { parse as parseToml } from "smol-toml";
import { loadJson, loadPyprojectTable, loadToml } from "./file-loaders.js";

/** One source of configuration values, with where each value came from. */
export interface Layer {
  /** Nested values, as a fabricatio.toml would hold them. */
  readonly data: Record<string, unknown>;
  /** The source of the value at a dotted path inside `data`. */
  sourceOf(path: string): string;
}

const ENV_PREFIX = "FABRICATIO_";

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
  if (!existsSync(file)) return {};
  return parseDotenv(readFileSync(file));
}

function fileLayer(
  file: string,
  data: Record<string, unknown> | null | undefined,
): Layer | undefined {
  if (!data) return undefined;
  return { data, sourceOf: () => file };
}

const tomlExplorer = cosmiconfigSync("fabricatio", {
  searchStrategy: "none",
  searchPlaces: ["fabricatio.toml"],
  loaders: { ".toml": loadToml },
  cache: false,
});
const pyprojectExplorer = cosmiconfigSync("fabricatio", {
  searchStrategy: "none",
  loaders: { ".toml": loadPyprojectTable },
  cache: false,
});
const packageJsonExplorer = cosmiconfigSync("fabricatio", {
  searchStrategy: "none",
  packageProp: "fabricatio",
  loaders: { ".json": loadJson },
  cache: false,
});

/** `<cwd>/fabricatio.toml`, located by cosmiconfig. */
export function fabricatioTomlLayer(cwd: string): Layer | undefined {
  const result = tomlExplorer.search(cwd);
  return result ? fileLayer(result.filepath, result.config as Record<string, unknown>) : undefined;
}

/** The `[tool.fabricatio]` table of `<cwd>/pyproject.toml`. */
export function pyprojectLayer(cwd: string): Layer | undefined {
  const file = path.join(cwd, "pyproject.toml");
  if (!existsSync(file)) return undefined;
  return fileLayer(file, pyprojectExplorer.load(file)?.config as Record<string, unknown> | null);
}

/** The `"fabricatio"` key of `<cwd>/package.json`. */
export function packageJsonLayer(cwd: string): Layer | undefined {
  const file = path.join(cwd, "package.json");
  if (!existsSync(file)) return undefined;
  return fileLayer(file, packageJsonExplorer.load(file)?.config as Record<string, unknown> | null);
}

/** A TOML file at an absolute path (the global config file). */
export function tomlFileLayer(file: string): Layer | undefined {
  if (!existsSync(file)) return undefined;
  return fileLayer(file, tomlExplorer.load(file)?.config as Record<string, unknown> | null);
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
  const forget = (prefix: string): void => {
    for (const key of [...sources.keys()])
      if (key === prefix || key.startsWith(`${prefix}.`)) sources.delete(key);
  };
  const apply = (
    target: Record<string, unknown>,
    values: Record<string, unknown>,
    prefix: string,
    layer: Layer,
  ): void => {
    for (const [key, value] of Object.entries(values)) {
      const dotted = prefix ? `${prefix}.${key}` : key;
      if (isPlainObject(value)) {
        if (!isPlainObject(target[key])) {
          forget(dotted);
          target[key] = {};
        }
        apply(target[key] as Record<string, unknown>, value, dotted, layer);
      } else {
        forget(dotted);
        target[key] = value;
        sources.set(dotted, layer.sourceOf(dotted));
      }
    }
  };
  for (const layer of layers) apply(data, layer.data, "", layer);
  return { data, sources };
}
