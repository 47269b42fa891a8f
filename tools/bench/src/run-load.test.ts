import { describe, expect, it } from "vitest";
import { runLoad } from "./run-load.js";

describe("runLoad", () => {
  it("makes exactly `total` calls with at most `concurrency` in flight", async () => {
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    const result = await runLoad(
      async () => {
        calls++;
        inFlight++;
        most = Math.max(most, inFlight);
        await Promise.resolve();
        inFlight--;
      },
      3,
      { total: 10 },
    );
    expect(calls).toBe(10);
    expect(result.total).toBe(10);
    expect(most).toBe(3);
    expect(result.errors).toBe(0);
  });

  it("counts failed calls apart and keeps the first message", async () => {
    let index = 0;
    const result = await runLoad(
      async () => {
        index++;
        if (index % 2 === 0) throw new Error(`call ${index} failed`);
      },
      1,
      { total: 6 },
    );
    expect(result.total).toBe(3);
    expect(result.errors).toBe(3);
    expect(result.firstError).toBe("call 2 failed");
  });
});
