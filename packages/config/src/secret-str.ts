import { inspect } from "node:util";
import { registerSecret } from "@fabricatio/logger";

const REDACTED = "SecretStr(REDACTED)";

/**
 * A secret (an API key) that never shows itself: `String()`, template literals,
 * `JSON.stringify`, `util.inspect`/`console.log` and log metadata all print
 * `SecretStr(REDACTED)`, and the value is registered with `registerSecret` of
 * @fabricatio/logger so that text containing it (an upstream error body echoing the key, a log
 * line) shows `***`. Read it with `getSecretValue()`.
 */
export class SecretStr {
  readonly #value: string;

  /** Also registers the value with @fabricatio/logger, so no log line or error shows it. */
  constructor(value: string) {
    this.#value = value;
    registerSecret(value);
  }

  /** The secret itself. Never log it. */
  getSecretValue(): string {
    return this.#value;
  }

  /** Whether the secret is empty. */
  isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Whether `value` is a `SecretStr`. */
export function isSecretStr(value: unknown): value is SecretStr {
  return value instanceof SecretStr;
}
