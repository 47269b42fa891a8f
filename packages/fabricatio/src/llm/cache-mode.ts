import { UnsupportedCacheModeError } from "../errors.js";
import type { CacheOptions } from "./types.js";

/** How one call uses the cache: read and write, write only (a fresh answer), or neither. */
export type CacheMode = "read-write" | "fresh" | "off";

/**
 * The cache mode of a call's options, `configNoCache` (the section's `no_cache`) standing in for
 * an unset `noCache`.
 * @throws {UnsupportedCacheModeError} for `cacheRead` without `cacheWrite`, which the router cannot do
 */
export function resolveCacheMode(
  options: CacheOptions,
  configNoCache: boolean | null | undefined,
): CacheMode {
  if (options.cache === "off") return "off";
  const read = options.cacheRead ?? !(options.noCache ?? configNoCache ?? false);
  const write = options.cacheWrite ?? true;
  if (read && write) return "read-write";
  if (write) return "fresh";
  if (!read) return "off";
  throw new UnsupportedCacheModeError(
    'cacheRead: true with cacheWrite: false (a cached read is always written through); use cache: "off" for neither',
  );
}

/** The mode of a re-ask after an invalid answer: fresh, so the valid answer replaces the cached one. */
export function retryCacheMode(mode: CacheMode): CacheMode {
  return mode === "off" ? "off" : "fresh";
}
