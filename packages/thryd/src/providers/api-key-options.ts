/** Key and transport options every HTTP provider accepts. */
export interface ApiKeyOptions {
  /**
   * One API key, or several used round-robin (a key pool). A pooled key answered 401 or 429 is
   * set aside for `keyCooldownMs` (429: its `Retry-After`). Keys never appear in logs or errors.
   */
  apiKey: string | readonly string[];
  /** How long a rejected key of a pool sits out, in ms. @default 60000 */
  keyCooldownMs?: number;
  /** Clock of the key pool, epoch ms. @default Date.now */
  now?: () => number;
  /** Extra headers sent with every request; credential-like ones are registered as secrets. */
  headers?: Record<string, string>;
  /**
   * Longest wait for an answer's headers (and, for a JSON answer, the longest silence inside its
   * body), in ms; 0 turns it off. @default 600000
   */
  requestTimeoutMs?: number;
  /** Longest silence between two chunks of a streamed answer, in ms; 0 turns it off. @default 60000 */
  streamIdleTimeoutMs?: number;
}

/** Splits an environment value into keys: `KEY` or `KEY1,KEY2` (blanks dropped). */
export function splitKeys(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((key) => key.trim())
    .filter(Boolean);
}
