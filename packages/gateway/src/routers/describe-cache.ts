import { statSync } from "node:fs";
import path from "node:path";
import type { Config } from "@fabricatio/config";
import { cacheDir } from "@fabricatio/constants";

/** The file used inside a directory given as `cache_database_path`, and the default file name. */
export const CACHE_FILE_NAME = "router-cache.sqlite";

/** Whether and where answers are cached, as `createRoutersFromConfig` (and the umbrella's `createLLM`) set it up. */
export type CacheSettings =
  | { enabled: false; reason: string }
  | { enabled: true; store: "sqlite"; path: string; reason: string }
  | { enabled: true; store: "redis"; url: string; reason: string };

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The answer cache `config.routing` asks for. As in the original, it is off unless
 * `cache_database_path` is set (SQLite there; an existing directory, such as the original's LMDB
 * folder, gets `router-cache.sqlite` inside it) or `cache_store` is set (`sqlite` at
 * `<cacheDir()>/router-cache.sqlite` without a path, `redis` at `redis_url`).
 */
export function describeCache(
  config: Config,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CacheSettings {
  const routing = config.routing;
  const storeSet = config.sourceOf("routing.cache_store") !== "default";
  if (storeSet && routing.cache_store === "redis" && routing.redis_url) {
    return {
      enabled: true,
      store: "redis",
      url: routing.redis_url,
      reason: 'routing.cache_store = "redis"',
    };
  }
  const configured = routing.cache_database_path;
  if (configured) {
    const resolved = path.resolve(configured);
    if (isDirectory(resolved)) {
      return {
        enabled: true,
        store: "sqlite",
        path: path.join(resolved, CACHE_FILE_NAME),
        reason: `routing.cache_database_path is the directory ${resolved}: the SQLite file ${CACHE_FILE_NAME} inside it is used`,
      };
    }
    return {
      enabled: true,
      store: "sqlite",
      path: resolved,
      reason: "routing.cache_database_path",
    };
  }
  if (storeSet) {
    return {
      enabled: true,
      store: "sqlite",
      path: path.join(cacheDir({ env }), CACHE_FILE_NAME),
      reason: 'routing.cache_store = "sqlite" without cache_database_path',
    };
  }
  return {
    enabled: false,
    reason:
      "off: set routing.cache_database_path (a SQLite file) or routing.cache_store to cache answers",
  };
}
