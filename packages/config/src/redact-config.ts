import { REDACTED, redactSecrets, registerSecret } from "@fabricatio/logger";

type Segment = string | number;

// How a value at a path is shown: `key` as a SecretStr shows itself (API keys and pools),
// `opaque` as `***` (MCP env values and headers), `url` with its userinfo and credential query
// parameters masked.
type SecretKind = "key" | "opaque" | "url";

const REDACTED_KEY = "SecretStr(REDACTED)";

const KEY_FIELDS = new Set(["key", "keys"]);
const URL_FIELDS = new Set(["base_url", "url", "redis_url"]);

/** What kind of secret the value at `path` is, if any. */
function secretKind(path: readonly Segment[]): SecretKind | undefined {
  const [section, table, , field] = path.map(String);
  if (section === "routing") {
    if (table === "providers" && path.length >= 4) {
      if (KEY_FIELDS.has(field!)) return "key";
      if (field === "base_url") return "url";
    }
    if (table === "redis_url") return "url";
  }
  if (section === "gateway" && table === "keys" && path.length >= 4 && field === "key") {
    return "key";
  }
  if (section === "mcp" && table === "servers" && path.length >= 4) {
    if (field === "env" || field === "headers") return "opaque";
    if (URL_FIELDS.has(field!)) return "url";
  }
  return undefined;
}

// Tables that hold secrets somewhere below: a string found here instead of a table (a JSON typo
// in FABRICATIO_ROUTING__PROVIDERS) may be the whole table, keys included, as text.
function holdsSecrets(path: readonly Segment[]): boolean {
  const [section, table] = path.map(String);
  if (path.length === 0) return true;
  if (section === "routing")
    return path.length === 1 || (table === "providers" && path.length <= 3);
  if (section === "mcp") return path.length === 1 || (table === "servers" && path.length <= 3);
  if (section === "gateway") return path.length === 1 || (table === "keys" && path.length <= 3);
  return false;
}

/**
 * A copy of configuration data at `path` fit to print: API keys and key pools as
 * `SecretStr(REDACTED)`, MCP `env` values and `headers` as `***`, whatever their type, URLs with credentials masked, a string standing where
 * a secret-holding table belongs as `***`, and every registered secret masked in all other text.
 */
export function redactConfigValue(path: readonly Segment[], value: unknown): unknown {
  const kind = secretKind(path);
  if (value === undefined) return undefined;
  if (kind === "key" && !Array.isArray(value)) return REDACTED_KEY;
  // The names of env variables and headers are no secret: the table keeps them, its values go.
  if (kind === "opaque" && !isPlainTable(value)) return REDACTED;
  if (typeof value === "string") {
    return holdsSecrets(path) && kind === undefined ? REDACTED : redactSecrets(value);
  }
  if (Array.isArray(value))
    return value.map((item, index) => redactConfigValue([...path, index], item));
  if (isPlainTable(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      copy[key] = redactConfigValue([...path, key], item);
    return copy;
  }
  return value;
}

// A SecretStr already renders itself redacted; dates and other class instances are leaves.
function isPlainTable(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Registers every string found at a secret path of raw configuration data with the process-wide
 * secret registry of @fabricatio/logger, whatever shape surrounds it (a key given as a table),
 * so no later log line or error shows it.
 */
export function registerConfigSecrets(data: Record<string, unknown>): void {
  // Secrets live only under [routing], [mcp] and [gateway]; [ext] may be large and is not walked.
  registerUnder(data.routing, ["routing"]);
  registerUnder(data.mcp, ["mcp"]);
  registerUnder(data.gateway, ["gateway"]);
}

function registerUnder(data: unknown, path: Segment[]): void {
  if (typeof data === "string") {
    const kind = secretKind(path);
    if (kind === "key" || kind === "opaque") registerSecret(data);
    return;
  }
  if (Array.isArray(data)) {
    data.forEach((item, index) => {
      registerUnder(item, [...path, index]);
    });
    return;
  }
  if (data !== null && typeof data === "object") {
    for (const [key, item] of Object.entries(data)) registerUnder(item, [...path, key]);
  }
}
