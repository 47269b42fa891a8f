import { inspect } from "node:util";

const REDACTED = "SecretStr(REDACTED)";

/**
 * A secret (an API key) that never shows itself: `String()`, template literals,
 * `JSON.stringify`, `util.inspect`/`console.log` and log metadata all print
 * `SecretStr(REDACTED)`. Read it with `getSecretValue()`.
 */
export class SecretStr {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
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
