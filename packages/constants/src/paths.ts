import { homedir } from "node:os";
import path from "node:path";
import { CONFIG_FILE, NAME, TEMPLATES_DIRNAME } from "./names.js";

/** Where to look for the platform's directories. Every field defaults to the running process's. */
export interface PlatformPathOptions {
  /** Operating system, as `process.platform`. @default process.platform */
  platform?: NodeJS.Platform;
  /** Environment variables. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The user's home directory. @default os.homedir() */
  homeDir?: string;
}

interface ResolvedPlatform {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  join: (...parts: string[]) => string;
  isAbsolute: (value: string) => boolean;
}

function resolvePlatform(options: PlatformPathOptions): ResolvedPlatform {
  const platform = options.platform ?? process.platform;
  const flavour = platform === "win32" ? path.win32 : path.posix;
  return {
    platform,
    env: options.env ?? process.env,
    homeDir: options.homeDir ?? homedir(),
    join: flavour.join,
    isAbsolute: flavour.isAbsolute,
  };
}

// The XDG spec says a relative value is invalid and must be ignored, as the original's
// `directories-next` does; an empty one counts as unset.
function xdgDir(resolved: ResolvedPlatform, variable: string, fallback: string[]): string {
  const value = resolved.env[variable];
  if (value && resolved.isAbsolute(value)) return value;
  return resolved.join(resolved.homeDir, ...fallback);
}

function windowsDir(resolved: ResolvedPlatform, variable: string, fallback: string[]): string {
  const value = resolved.env[variable];
  return value ? value : resolved.join(resolved.homeDir, ...fallback);
}

/**
 * The user's roaming configuration directory for Fabricatio, computed at call time.
 *
 * | platform | directory |
 * | --- | --- |
 * | Linux and others | `$XDG_CONFIG_HOME/fabricatio` or `~/.config/fabricatio` |
 * | macOS | `~/Library/Application Support/fabricatio` |
 * | Windows | `%APPDATA%\fabricatio` (or `~\AppData\Roaming\fabricatio`) |
 */
export function roamingDir(options: PlatformPathOptions = {}): string {
  const resolved = resolvePlatform(options);
  switch (resolved.platform) {
    case "darwin":
      return resolved.join(resolved.homeDir, "Library", "Application Support", NAME);
    case "win32":
      return resolved.join(windowsDir(resolved, "APPDATA", ["AppData", "Roaming"]), NAME);
    default:
      return resolved.join(xdgDir(resolved, "XDG_CONFIG_HOME", [".config"]), NAME);
  }
}

/**
 * The user's cache directory for Fabricatio (the router's default cache database lives here).
 *
 * | platform | directory |
 * | --- | --- |
 * | Linux and others | `$XDG_CACHE_HOME/fabricatio` or `~/.cache/fabricatio` |
 * | macOS | `~/Library/Caches/fabricatio` |
 * | Windows | `%LOCALAPPDATA%\fabricatio` (or `~\AppData\Local\fabricatio`) |
 */
export function cacheDir(options: PlatformPathOptions = {}): string {
  const resolved = resolvePlatform(options);
  switch (resolved.platform) {
    case "darwin":
      return resolved.join(resolved.homeDir, "Library", "Caches", NAME);
    case "win32":
      return resolved.join(windowsDir(resolved, "LOCALAPPDATA", ["AppData", "Local"]), NAME);
    default:
      return resolved.join(xdgDir(resolved, "XDG_CACHE_HOME", [".cache"]), NAME);
  }
}

/** The global templates directory: `<roamingDir>/templates`. */
export function templatesDir(options: PlatformPathOptions = {}): string {
  const resolved = resolvePlatform(options);
  return resolved.join(roamingDir(options), TEMPLATES_DIRNAME);
}

/** The global configuration file: `<roamingDir>/fabricatio.toml`. */
export function globalConfigFile(options: PlatformPathOptions = {}): string {
  const resolved = resolvePlatform(options);
  return resolved.join(roamingDir(options), CONFIG_FILE);
}
