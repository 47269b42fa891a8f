import { BudgetExceededError } from "../errors/budget-exceeded-error.js";
import type { Usage } from "../types.js";

/** Prices of a deployment in USD per million tokens. */
export interface Price {
  /** USD per million prompt tokens. */
  inputPerMTok: number;
  /** USD per million completion tokens. */
  outputPerMTok: number;
}

/** A spending limit of a group. */
export interface Budget {
  /** USD the group may spend per period. */
  limitUsd: number;
  /**
   * Period length in ms. Periods are fixed and aligned to the epoch (`floor(now / periodMs)`), so
   * a day-long budget resets at 00:00 UTC. @default 86400000 (one day)
   */
  periodMs?: number;
}

/** Running cost totals, as `router.costs()` reports them. */
export interface CostTotals {
  /** USD per deployment id since the router was created. */
  deployments: Record<string, number>;
  /** USD per group since the router was created. */
  groups: Record<string, number>;
  /** Budget state per group that has one. */
  budgets: Record<string, { limitUsd: number; spentUsd: number; resetsAtMs: number }>;
}

const DAY_MS = 86_400_000;

/** The USD cost of `usage` at `price`. */
export function costOf(price: Price, usage: Usage): number {
  return (
    (usage.prompt_tokens * price.inputPerMTok + usage.completion_tokens * price.outputPerMTok) / 1e6
  );
}

interface Period {
  startMs: number;
  spentUsd: number;
}

/**
 * Cost totals per deployment and group, and per-group budgets over fixed periods. Spending is
 * known only once an answer arrives, so requests already in flight when a budget runs out may
 * overshoot it by their own cost.
 */
export class CostLedger {
  readonly #budgets: ReadonlyMap<string, Required<Budget>>;
  readonly #periods = new Map<string, Period>();
  readonly #byDeployment = new Map<string, number>();
  readonly #byGroup = new Map<string, number>();

  constructor(budgets: Record<string, Budget> = {}) {
    this.#budgets = new Map(
      Object.entries(budgets).map(([group, budget]) => [
        group,
        { limitUsd: budget.limitUsd, periodMs: budget.periodMs ?? DAY_MS },
      ]),
    );
  }

  /** Whether any group has a budget. */
  get hasBudgets(): boolean {
    return this.#budgets.size > 0;
  }

  #period(group: string, budget: Required<Budget>, nowMs: number): Period {
    const startMs = Math.floor(nowMs / budget.periodMs) * budget.periodMs;
    let period = this.#periods.get(group);
    if (!period || period.startMs !== startMs) {
      period = { startMs, spentUsd: 0 };
      this.#periods.set(group, period);
    }
    return period;
  }

  /** @throws {BudgetExceededError} when `group` has spent its budget for the current period */
  check(group: string, nowMs: number): void {
    const budget = this.#budgets.get(group);
    if (!budget) return;
    const period = this.#period(group, budget, nowMs);
    if (period.spentUsd >= budget.limitUsd) {
      throw new BudgetExceededError({
        group,
        spentUsd: period.spentUsd,
        limitUsd: budget.limitUsd,
        resetsAtMs: period.startMs + budget.periodMs,
      });
    }
  }

  /** Adds a response's cost to the totals and to its group's current period. */
  record(group: string, deployment: string, costUsd: number, nowMs: number): void {
    this.#byDeployment.set(deployment, (this.#byDeployment.get(deployment) ?? 0) + costUsd);
    this.#byGroup.set(group, (this.#byGroup.get(group) ?? 0) + costUsd);
    const budget = this.#budgets.get(group);
    if (budget) this.#period(group, budget, nowMs).spentUsd += costUsd;
  }

  /** A snapshot of the totals. */
  totals(nowMs: number): CostTotals {
    const budgets: CostTotals["budgets"] = {};
    for (const [group, budget] of this.#budgets) {
      const period = this.#period(group, budget, nowMs);
      budgets[group] = {
        limitUsd: budget.limitUsd,
        spentUsd: period.spentUsd,
        resetsAtMs: period.startMs + budget.periodMs,
      };
    }
    return {
      deployments: Object.fromEntries(this.#byDeployment),
      groups: Object.fromEntries(this.#byGroup),
      budgets,
    };
  }
}
