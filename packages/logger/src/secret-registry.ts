/** What every redacted secret is replaced with. */
export const REDACTED = "***";

/**
 * Registered values shorter than this are not replaced in free text: a two-letter "secret" would
 * mangle every line, and a value that short is no secret anyway.
 */
export const MIN_SECRET_CHARS = 6;

// Query parameters whose value is a credential, wherever they appear (`?api-key=`, `&sig=`,
// `X-Amz-Signature=`, `client_secret=`). The name is matched as a whole word or as its last
// `-`/`_`/`.` separated part, so `subscription-key` counts but `monkey` does not.
const CREDENTIAL_PARAMETER =
  /([?&;](?:[\w.-]*[-_.])?(?:api[-_]?key|apikey|key|token|secret|sig|signature|password|passwd|pwd|pass|credential|auth)=)([^&#\s"'<>\\]+)/gi;
// `scheme://userinfo@`: the whole userinfo goes, a user name alone can be a token.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>\\]+)@/gi;
// Credentials of an authorisation header that was echoed or logged: `Bearer <token>` anywhere,
// and any scheme after an `authorization:` name.
const BEARER_TOKEN = /\bBearer(\s+)[\w.~+/=-]{8,}/g;
const AUTHORIZATION_HEADER = /(\bauthorization["']?\s*[:=]\s*["']?)(?:\w+\s+)?[^"'\s,;}]+/gi;
// Well-known key shapes: a key that was never registered (read from an unknown variable) still
// does not print.
const KNOWN_KEY_SHAPES =
  /\b(?:sk-(?:ant-|proj-)?[\w-]{16,}|AIza[\w-]{30,}|gh[pousr]_\w{30,}|github_pat_\w{30,})/g;

const MAY_HOLD_CREDENTIAL =
  /[?&;@]|Bearer|uthorization|UTHORIZATION|sk-|AIza|gh[pousr]_|github_pat_/;
const MAY_HOLD_PARAMETERS = /[?&;]/;
const MAY_HOLD_AUTHORIZATION = /uthorization|UTHORIZATION/;
const MAY_HOLD_KEY_SHAPE = /sk-|AIza|gh[pousr]_|github_pat_/;

function escapedForms(value: string): string[] {
  const forms = [value];
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) forms.push(json);
  const uri = encodeURIComponent(value);
  if (uri !== value) forms.push(uri);
  return forms;
}

/**
 * The set of secret values output must never show. Values are kept in memory only to be
 * searched for; nothing reads them back out.
 */
export class SecretRegistry {
  readonly #values = new Set<string>();
  // Longest first, so a secret that contains another is replaced whole.
  #ordered: string[] = [];

  /** How many distinct values (escaped forms included) are registered. */
  get size(): number {
    return this.#values.size;
  }

  /**
   * Adds a secret (and its JSON-escaped and URL-encoded forms). Empty, missing and short values
   * (under {@link MIN_SECRET_CHARS} characters) are ignored.
   */
  register(value: string | null | undefined): void {
    if (typeof value !== "string" || value.length < MIN_SECRET_CHARS) return;
    let added = false;
    for (const form of escapedForms(value)) {
      if (this.#values.has(form)) continue;
      this.#values.add(form);
      added = true;
    }
    if (added) this.#ordered = [...this.#values].sort((a, b) => b.length - a.length);
  }

  /** Forgets every registered value. */
  clear(): void {
    this.#values.clear();
    this.#ordered = [];
  }

  /**
   * `text` with every registered secret, URL userinfo, credential query parameter,
   * `Bearer` token, `authorization` header value and well-known key shape (`sk-…`, `AIza…`, `ghp_…`) replaced by
   * `***`.
   */
  redact(text: string): string {
    let result = text;
    for (const value of this.#ordered) {
      if (result.includes(value)) result = result.split(value).join(REDACTED);
    }
    // One cheap scan first: most log lines hold none of these, and the patterns cost more.
    if (!MAY_HOLD_CREDENTIAL.test(result)) return result;
    if (result.includes("@") && result.includes("://")) {
      result = result.replace(URL_USERINFO, `$1${REDACTED}@`);
    }
    if (result.includes("=") && MAY_HOLD_PARAMETERS.test(result)) {
      result = result.replace(CREDENTIAL_PARAMETER, `$1${REDACTED}`);
    }
    if (result.includes("Bearer")) result = result.replace(BEARER_TOKEN, `Bearer$1${REDACTED}`);
    if (MAY_HOLD_AUTHORIZATION.test(result)) {
      result = result.replace(AUTHORIZATION_HEADER, `$1${REDACTED}`);
    }
    if (MAY_HOLD_KEY_SHAPE.test(result)) result = result.replace(KNOWN_KEY_SHAPES, REDACTED);
    return result;
  }
}

const GLOBAL_KEY = Symbol.for("fabricatio.secretRegistry");

/**
 * The process-wide registry every Fabricatio package registers its secrets in and redacts its
 * output with. Kept on `globalThis` so two copies of this package (the umbrella's and a direct
 * install) share one.
 */
export function secretRegistry(): SecretRegistry {
  const holder = globalThis as { [GLOBAL_KEY]?: SecretRegistry };
  holder[GLOBAL_KEY] ??= new SecretRegistry();
  return holder[GLOBAL_KEY];
}

/**
 * Registers a secret value process-wide: from now on every log line, error message and CLI
 * output of Fabricatio shows it as `***`. Values under {@link MIN_SECRET_CHARS} characters are
 * ignored.
 */
export function registerSecret(value: string | null | undefined): void {
  secretRegistry().register(value);
}

/** `text` with every secret replaced by `***`: see {@link SecretRegistry.redact}. */
export function redactSecrets(text: string): string {
  return secretRegistry().redact(text);
}
