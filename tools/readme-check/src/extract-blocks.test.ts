import { describe, expect, it } from "vitest";
import { extractBlocks } from "./extract-blocks.js";

describe("extractBlocks", () => {
  it("finds each fence with its line, language and code", () => {
    const markdown = [
      "# Title",
      "",
      "```ts",
      "const a = 1;",
      "```",
      "text",
      "~~~toml",
      "x = 1",
      "~~~",
    ].join("\n");
    expect(extractBlocks(markdown, "R.md")).toEqual([
      { file: "R.md", line: 3, language: "ts", markers: [], code: "const a = 1;" },
      { file: "R.md", line: 7, language: "toml", markers: [], code: "x = 1" },
    ]);
  });

  it("reads markers from the info string and from a comment on the line before, blank lines between", () => {
    const markdown = ["<!-- readme-check: run -->", "", "```TS fragment", "x", "```"].join("\n");
    expect(extractBlocks(markdown, "R.md")[0]).toMatchObject({
      language: "ts",
      markers: ["fragment", "run"],
    });
  });

  it("ignores a marker comment separated from the fence by text", () => {
    const markdown = ["<!-- readme-check: run -->", "Some text.", "```ts", "x", "```"].join("\n");
    expect(extractBlocks(markdown, "R.md")[0]?.markers).toEqual([]);
  });

  it("keeps a shorter fence inside a longer one as code, as CommonMark does", () => {
    const markdown = ["````md", "```ts", "x", "```", "````", "```ts", "y", "```"].join("\n");
    expect(extractBlocks(markdown, "R.md").map((block) => [block.language, block.code])).toEqual([
      ["md", "```ts\nx\n```"],
      ["ts", "y"],
    ]);
  });

  it("removes the fence's indentation (a block in a list item) and reads CRLF text", () => {
    const markdown = "- item\r\n\r\n  ```ts\r\n  if (x) {\r\n    y();\r\n  }\r\n  ```\r\n";
    expect(extractBlocks(markdown, "R.md")[0]?.code).toBe("if (x) {\n  y();\n}");
  });

  it("takes a line with a backtick in the info string for inline code, not a fence", () => {
    expect(extractBlocks("```ts` is inline\ntext", "R.md")).toEqual([]);
  });

  it("runs an unclosed fence to the end of the text", () => {
    expect(extractBlocks("```ts\na\nb", "R.md")[0]?.code).toBe("a\nb");
  });
});
