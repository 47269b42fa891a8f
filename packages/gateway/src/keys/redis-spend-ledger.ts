import { getLogger } from "@fabricatio/logger";
import { KeyBudgetExceededError } from "../errors/limit-errors.js";
import type { KeyBudget, SpendLedger } from "./spend-ledger.js";

/** The commands the ledger sends; a node-redis v5 client fits. */
interface RedisClient {
  sendCommand(args: readonly string[]): Promise<unknown>;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Options of {@link RedisSpendLedger}. */
export interface RedisSpendLedgerOptions {
  /** Redis URL. */
  url: string;
  /** Prefix of every key. @default "fabricatio:gw:spend:" */
  prefix?: string;
}

const CONNECT_TIMEOUT_MS = 2_000;

/**
 * Per-key spending in Redis, shared by every gateway using the same server: one float counter
 * per key and period (`INCRBYFLOAT`), which expires a period after its own ends. Periods are
 * computed from the gateway's clock, so replicas should keep their clocks in step (NTP).
 */
export class RedisSpendLedger implements SpendLedger {
  readonly name = "redis";
  readonly #url: string;
  readonly #prefix: string;
  #client: Promise<RedisClient> | undefined;
  readonly #logger = getLogger("gateway:keys");

  constructor(options: RedisSpendLedgerOptions) {
    this.#url = options.url;
    this.#prefix = options.prefix ?? "fabricatio:gw:spend:";
  }

  #connect(): Promise<RedisClient> {
    this.#client ??= (async () => {
      // Loaded on first use: a gateway without a Redis store never loads the client.
      const { createClient } = await import("@redis/client");
      let hasConnected = false;
      const client = createClient({
        url: this.#url,
        // Fail at once during an outage rather than queue requests behind a dead connection.
        disableOfflineQueue: true,
        socket: {
          connectTimeout: CONNECT_TIMEOUT_MS,
          reconnectStrategy: (retries: number, cause: Error) =>
            hasConnected ? Math.min(2 ** retries * 50, 500) : cause,
        },
      }) as unknown as RedisClient;
      client.on("ready", () => {
        hasConnected = true;
      });
      client.on("error", (error) => {
        this.#logger.warn(`Redis client: ${(error as Error)?.message ?? error}`);
      });
      try {
        await client.connect();
      } catch (error) {
        this.#client = undefined;
        throw error;
      }
      return client;
    })();
    return this.#client;
  }

  /** Connects now, so that a wrong URL fails at start-up. @throws the client's connection error */
  async connect(): Promise<void> {
    await this.#connect();
  }

  #period(key: string, budget: KeyBudget, nowMs: number) {
    const startMs = Math.floor(nowMs / budget.periodMs) * budget.periodMs;
    return { redisKey: `${this.#prefix}${key}:${startMs}`, resetsAtMs: startMs + budget.periodMs };
  }

  async check(key: string, budget: KeyBudget, nowMs: number): Promise<void> {
    const { redisKey, resetsAtMs } = this.#period(key, budget, nowMs);
    const client = await this.#connect();
    const spentUsd = Number((await client.sendCommand(["GET", redisKey])) ?? 0);
    if (spentUsd >= budget.limitUsd) {
      throw new KeyBudgetExceededError({ key, spentUsd, limitUsd: budget.limitUsd, resetsAtMs });
    }
  }

  async record(key: string, budget: KeyBudget, costUsd: number, nowMs: number): Promise<void> {
    if (!(costUsd > 0)) return;
    const { redisKey, resetsAtMs } = this.#period(key, budget, nowMs);
    const client = await this.#connect();
    await client.sendCommand(["INCRBYFLOAT", redisKey, String(costUsd)]);
    await client.sendCommand([
      "PEXPIREAT",
      redisKey,
      String(Math.ceil(resetsAtMs + budget.periodMs)),
    ]);
  }

  async close(): Promise<void> {
    const pending = this.#client;
    this.#client = undefined;
    if (!pending) return;
    const client = await pending.catch(() => undefined);
    await client?.close();
  }
}
