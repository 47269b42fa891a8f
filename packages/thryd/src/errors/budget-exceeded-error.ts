import { ThrydError } from "./thryd-error.js";

/** The group has spent its budget for the current period; requests fail until `resetsAtMs`. */
export class BudgetExceededError extends ThrydError {
  override readonly code = "THRYD_BUDGET_EXCEEDED";
  readonly group: string;
  /** USD spent in the current period. */
  readonly spentUsd: number;
  /** The period's limit in USD. */
  readonly limitUsd: number;
  /** Epoch ms when the next period starts. */
  readonly resetsAtMs: number;
  constructor(options: { group: string; spentUsd: number; limitUsd: number; resetsAtMs: number }) {
    super(
      `Group "${options.group}" spent $${options.spentUsd.toFixed(6)} of its $${options.limitUsd} budget; it resets at ${new Date(options.resetsAtMs).toISOString()}`,
    );
    this.group = options.group;
    this.spentUsd = options.spentUsd;
    this.limitUsd = options.limitUsd;
    this.resetsAtMs = options.resetsAtMs;
  }
}
