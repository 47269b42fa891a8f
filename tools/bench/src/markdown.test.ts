import { describe, expect, it } from "vitest";
import { formatNumber, formatRatio, renderRatioMatrix, renderTable } from "./markdown.js";

describe("renderTable", () => {
  it("left-aligns the first column and right-aligns the others unless told", () => {
    expect(renderTable(["Name", "Value"], [["a", "1"]])).toBe(
      "| Name | Value |\n| --- | ---: |\n| a | 1 |",
    );
    expect(renderTable(["A", "B"], [], ["left", "left"])).toBe("| A | B |\n| --- | --- |");
  });
});

describe("formatRatio", () => {
  it("divides and prints two decimals with a multiplication sign", () => {
    expect(formatRatio(3, 2)).toBe("1.50×");
    expect(formatRatio(12_345, 10)).toBe("1,234.50×");
  });

  it("prints n/a instead of Infinity or NaN", () => {
    expect(formatRatio(1, 0)).toBe("n/a");
    expect(formatRatio(Number.NaN, 1)).toBe("n/a");
    expect(formatNumber(Number.NaN)).toBe("n/a");
  });
});

describe("renderRatioMatrix", () => {
  it("puts row ÷ column in each cell and n/a where a contender did not run", () => {
    const table = renderRatioMatrix([
      { name: "raw", value: 100 },
      { name: "lib", value: 50 },
      { name: "broken", value: undefined },
    ]);
    expect(table.split("\n")).toEqual([
      "| ÷ | raw | lib | broken |",
      "| --- | ---: | ---: | ---: |",
      "| raw | 1 | 2.00× | n/a |",
      "| lib | 0.50× | 1 | n/a |",
      "| broken | n/a | n/a | n/a |",
    ]);
  });
});

describe("renderRatioMatrix with a ratio function", () => {
  it("applies it to the two values of each cell", () => {
    const table = renderRatioMatrix(
      [
        { name: "a", value: [4, 8] },
        { name: "b", value: [2, 2] },
      ],
      (row, column) => (row[0]! + row[1]!) / (column[0]! + column[1]!),
    );
    expect(table.split("\n").slice(2)).toEqual(["| a | 1 | 3.00× |", "| b | 0.33× | 1 |"]);
  });
});
