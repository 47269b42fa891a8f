import { describe, expect, it } from "vitest";
import { type CpuProfile, mergeSelfTimes, selfTimes, sharesByOrigin } from "./cpu-profile.js";

const frame = (functionName: string, url: string, lineNumber: number) => ({
  functionName,
  url,
  lineNumber,
});

describe("selfTimes", () => {
  it("sums a function's samples over every node it appears at, skipping the first sample", () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame("(idle)", "", -1) },
        { id: 2, callFrame: frame("send", "file:///x/thryd/dist/router/router.js", 9) },
        { id: 3, callFrame: frame("send", "file:///x/thryd/dist/router/router.js", 9) },
        { id: 4, callFrame: frame("", "node:internal/streams", 0) },
      ],
      samples: [4, 1, 2, 3, 4, 2],
      timeDeltas: [99_000, 1000, 2000, 3000, 500, 3500],
    };
    const rows = selfTimes(profile);
    expect(rows[0]).toEqual({
      frame: "send (router/router.js:10)",
      url: "file:///x/thryd/dist/router/router.js",
      selfMs: 8.5,
      share: 0.85,
    });
    expect(rows.map((row) => row.frame)).toEqual([
      "send (router/router.js:10)",
      "(idle) (native)",
      "(anonymous) (node:internal/streams:1)",
    ]);
  });

  it("ignores negative deltas that V8 records when samples arrive out of order", () => {
    const profile: CpuProfile = {
      nodes: [{ id: 1, callFrame: frame("f", "a.js", 0) }],
      samples: [1, 1, 1],
      timeDeltas: [7, -5, 10],
    };
    expect(selfTimes(profile)[0]?.selfMs).toBe(0.01);
  });
});

describe("sharesByOrigin", () => {
  it("groups frames by where their code lives", () => {
    const row = (frame: string, url: string, share: number) => ({ frame, url, selfMs: 0, share });
    const shares = sharesByOrigin([
      row("a", "file:///r/packages/thryd/dist/router/router.js", 0.1),
      row("b", "file:///r/node_modules/undici/lib/api/readable.js", 0.3),
      row("c", "file:///r/packages/thryd/dist/providers/http-pool.js", 0.05),
      row("writev (native)", "", 0.2),
      row("(idle) (native)", "", 0.25),
      row("emit", "node:events", 0.1),
    ]);
    expect(shares.map((entry) => entry.origin)).toEqual([
      "undici",
      "idle",
      "native and V8",
      "thryd",
      "node internals",
    ]);
    expect(shares.find((entry) => entry.origin === "thryd")?.share).toBeCloseTo(0.15, 10);
  });
});

describe("mergeSelfTimes", () => {
  it("adds a function's time across profiles and recomputes the shares over the sum", () => {
    const row = (frame: string, selfMs: number) => ({ frame, url: "a.js", selfMs, share: 1 });
    expect(
      mergeSelfTimes([
        [row("f", 3), row("g", 1)],
        [row("f", 1), row("h", 5)],
      ]),
    ).toEqual([
      { frame: "h", url: "a.js", selfMs: 5, share: 0.5 },
      { frame: "f", url: "a.js", selfMs: 4, share: 0.4 },
      { frame: "g", url: "a.js", selfMs: 1, share: 0.1 },
    ]);
  });
});
