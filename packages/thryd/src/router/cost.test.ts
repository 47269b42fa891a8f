import { describe, expect, it } from "vitest";
import { isThrydError } from "../errors/thryd-error.js";
import { usageOf } from "../models/usage.js";
import { CostLedger, costOf } from "./cost.js";

describe("costOf", () => {
  it("prices prompt and completion tokens per million", () => {
    expect(costOf({ inputPerMTok: 2, outputPerMTok: 8 }, usageOf(500_000, 250_000))).toBe(3);
  });
});

describe("CostLedger", () => {
  it("totals per deployment and per group", () => {
    const ledger = new CostLedger();
    ledger.record("g", "p/a", 0.5, 0);
    ledger.record("g", "p/b", 0.25, 0);
    ledger.record("h", "p/a", 1, 0);
    expect(ledger.totals(0)).toEqual({
      deployments: { "p/a": 1.5, "p/b": 0.25 },
      groups: { g: 0.75, h: 1 },
      budgets: {},
    });
  });

  it("rejects a group once its period's budget is spent, and lets it go in the next period", () => {
    const ledger = new CostLedger({ g: { limitUsd: 1, periodMs: 1000 } });
    ledger.check("g", 100);
    ledger.record("g", "p/a", 0.6, 100);
    ledger.check("g", 200);
    ledger.record("g", "p/a", 0.6, 300);
    let error: unknown;
    try {
      ledger.check("g", 999);
    } catch (caught) {
      error = caught;
    }
    expect(isThrydError(error)).toBe(true);
    expect(error).toMatchObject({
      code: "THRYD_BUDGET_EXCEEDED",
      group: "g",
      limitUsd: 1,
      resetsAtMs: 1000,
    });
    expect((error as { spentUsd: number }).spentUsd).toBeCloseTo(1.2);
    expect(() => ledger.check("g", 1000)).not.toThrow();
    expect(ledger.totals(1000).budgets.g).toEqual({ limitUsd: 1, spentUsd: 0, resetsAtMs: 2000 });
  });

  it("never rejects a group without a budget", () => {
    const ledger = new CostLedger({ other: { limitUsd: 0 } });
    ledger.record("g", "p/a", 100, 0);
    expect(() => ledger.check("g", 0)).not.toThrow();
    expect(() => ledger.check("other", 0)).toThrow(/budget/);
  });
});
