import { getLogger } from "@fabricatio/logger";
import { ApiError } from "../errors/transport-errors.js";

/** How long a key rejected with 401 (or 429 without `Retry-After`) sits out, in ms. */
export const DEFAULT_KEY_COOLDOWN_MS = 60_000;

/** One key of a pool as diagnostics see it: never the key itself. */
export interface KeyState {
  /** Position of the key in the list the provider was given. */
  index: number;
  /** `…` and the key's last 4 characters (`****` for keys under 12 characters). */
  hint: string;
  /** Epoch ms until which the key is set aside; `undefined` when it is ready. */
  coolingUntilMs: number | undefined;
  /** 401/429 answers this key has received since the provider was created. */
  rejections: number;
  /** Status of the last rejection. */
  lastStatus: number | undefined;
}

/** Options of {@link KeyPool}. */
export interface KeyPoolOptions {
  /** Provider name, for log lines. */
  provider: string;
  /** At least one key. */
  keys: readonly string[];
  /** @default DEFAULT_KEY_COOLDOWN_MS */
  cooldownMs?: number;
  /** Clock in epoch ms. @default Date.now */
  now?: () => number;
  /** Whether an error means the key itself was refused. @default status 401 or 429 */
  isRejection?: (error: ApiError) => boolean;
}

/** Shows the last four characters of a key, enough to find it in a dashboard. */
export function keyHint(key: string): string {
  return key.length >= 12 ? `…${key.slice(-4)}` : "****";
}

const isAuthOrRateLimit = (error: ApiError) => error.status === 401 || error.status === 429;

/**
 * Round-robin over several API keys of one provider. A key whose request is answered 401 or 429
 * sits out a cooldown (429: its `Retry-After` when sent). When every key is cooling down, the one
 * whose cooldown ends first is used anyway: the request then meets the provider's own answer
 * (and its `Retry-After`) instead of a local error the caller could not tell apart from it.
 */
export class KeyPool {
  readonly keys: readonly string[];
  readonly #provider: string;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #isRejection: (error: ApiError) => boolean;
  readonly #coolingUntil: number[];
  readonly #rejections: number[];
  readonly #lastStatus: (number | undefined)[];
  #cursor = 0;

  constructor(options: KeyPoolOptions) {
    this.keys = [...options.keys];
    this.#provider = options.provider;
    this.#cooldownMs = options.cooldownMs ?? DEFAULT_KEY_COOLDOWN_MS;
    this.#now = options.now ?? Date.now;
    this.#isRejection = options.isRejection ?? isAuthOrRateLimit;
    this.#coolingUntil = this.keys.map(() => 0);
    this.#rejections = this.keys.map(() => 0);
    this.#lastStatus = this.keys.map(() => undefined);
  }

  /** The index of the key for the next request, advancing the round-robin cursor. */
  next(): number {
    const now = this.#now();
    const count = this.keys.length;
    let chosen = -1;
    for (let step = 0; step < count; step++) {
      const index = (this.#cursor + step) % count;
      if (this.#coolingUntil[index]! <= now) {
        chosen = index;
        break;
      }
    }
    if (chosen === -1) {
      chosen = 0;
      for (let index = 1; index < count; index++) {
        if (this.#coolingUntil[index]! < this.#coolingUntil[chosen]!) chosen = index;
      }
    }
    this.#cursor = (chosen + 1) % count;
    return chosen;
  }

  /** Whether some key other than `index` is not cooling down now. */
  #hasOtherReadyKey(index: number, now: number): boolean {
    return this.#coolingUntil.some((until, other) => other !== index && until <= now);
  }

  /**
   * Records the failure of a request sent with key `index` and returns the error to throw. A
   * rejected key cools down; while another key is ready the error becomes retryable and loses
   * its `Retry-After`, so the router's retry goes straight to the next key.
   */
  fail(index: number, error: unknown, url: string): unknown {
    if (!(error instanceof ApiError) || !this.#isRejection(error)) return error;
    const now = this.#now();
    const waitMs =
      error.status === 429 && error.retryAfterMs !== undefined
        ? error.retryAfterMs
        : this.#cooldownMs;
    this.#coolingUntil[index] = Math.max(this.#coolingUntil[index]!, now + waitMs);
    this.#rejections[index]!++;
    this.#lastStatus[index] = error.status;
    const hint = keyHint(this.keys[index]!);
    getLogger("thryd:keys").warn(
      () =>
        `Key #${index} (${hint}) of provider "${this.#provider}" got HTTP ${error.status}; set aside for ${waitMs} ms`,
    );
    if (!this.#hasOtherReadyKey(index, now)) return error;
    return new ApiError({
      status: error.status,
      body: error.body,
      url,
      isRetryable: true,
      errorType: error.errorType,
      cause: error,
    });
  }

  /** The state of every key, for diagnostics; the keys themselves are left out. */
  states(): KeyState[] {
    const now = this.#now();
    return this.keys.map((key, index) => ({
      index,
      hint: keyHint(key),
      coolingUntilMs: this.#coolingUntil[index]! > now ? this.#coolingUntil[index] : undefined,
      rejections: this.#rejections[index]!,
      lastStatus: this.#lastStatus[index],
    }));
  }
}
