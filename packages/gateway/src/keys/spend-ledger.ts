import type { Budget } from "@fabricatio/thryd";

/** A key's budget with its period resolved. */
export type KeyBudget = Required<Budget>;

/**
 * Where the spending of gateway keys is kept, per key and per fixed period aligned to the epoch
 * (as thryd's group budgets). {@link MemorySpendLedger} keeps it in the process;
 * {@link RedisSpendLedger} shares it between every gateway on one Redis.
 */
export interface SpendLedger {
  /** Short name for logs: `"memory"` or `"redis"`. */
  readonly name: string;
  /**
   * Resolves when `key` may still spend in the current period.
   * @throws {KeyBudgetExceededError} when it has spent its budget
   * @throws the store's error when a shared store cannot be reached
   */
  check(key: string, budget: KeyBudget, nowMs: number): Promise<void>;
  /** Adds `costUsd` to `key`'s current period. */
  record(key: string, budget: KeyBudget, costUsd: number, nowMs: number): Promise<void>;
  /** Releases connections the ledger opened. */
  close(): Promise<void>;
}
