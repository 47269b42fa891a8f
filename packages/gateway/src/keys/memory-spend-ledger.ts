import { type BudgetExceededError, CostLedger } from "@fabricatio/thryd";
import { KeyBudgetExceededError } from "../errors/limit-errors.js";
import type { KeyBudget, SpendLedger } from "./spend-ledger.js";

/**
 * Per-key spending in this process, on thryd's `CostLedger` (one "group" per key): the same
 * epoch-aligned periods and the same rule that requests in flight when a budget runs out may
 * overshoot it by their own cost.
 */
export class MemorySpendLedger implements SpendLedger {
  readonly name = "memory";
  readonly #ledger: CostLedger;

  constructor(budgets: Record<string, KeyBudget>) {
    this.#ledger = new CostLedger(budgets);
  }

  async check(key: string, _budget: KeyBudget, nowMs: number): Promise<void> {
    try {
      this.#ledger.check(key, nowMs);
    } catch (error) {
      const exceeded = error as BudgetExceededError;
      throw new KeyBudgetExceededError({
        key,
        spentUsd: exceeded.spentUsd,
        limitUsd: exceeded.limitUsd,
        resetsAtMs: exceeded.resetsAtMs,
      });
    }
  }

  async record(key: string, _budget: KeyBudget, costUsd: number, nowMs: number): Promise<void> {
    this.#ledger.record(key, key, costUsd, nowMs);
  }

  async close(): Promise<void> {}
}
