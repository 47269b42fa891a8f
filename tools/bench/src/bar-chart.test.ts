import { describe, expect, it } from "vitest";
import { renderBarChart } from "./bar-chart.js";

describe("renderBarChart", () => {
  const svg = renderBarChart({
    title: "Speed <test>",
    unit: "req/s",
    groups: [
      {
        label: "c=1",
        bars: [
          { label: "a", value: 100 },
          { label: "b", value: 50, highlight: true },
          { label: "c", value: undefined, note: "no limiter" },
        ],
      },
    ],
  });

  it("draws bars in proportion to their values", () => {
    const widths = [...svg.matchAll(/<rect x="\d+" y="\d+" width="([\d.]+)"/g)].map((match) =>
      Number(match[1]),
    );
    expect(widths).toHaveLength(2);
    expect(widths[0]! / widths[1]!).toBeCloseTo(2, 5);
  });

  it("escapes text, labels values with their unit and notes bars that are missing", () => {
    expect(svg).toContain("Speed &#60;test&#62;");
    expect(svg).toContain("100 req/s");
    expect(svg).toContain("no limiter");
    expect(svg).toContain('fill="#d9480f"');
  });
});
