import { describe, expect, it } from "vitest";
import { planBlock } from "./block-plan.js";
import type { CodeBlock } from "./extract-blocks.js";

const block = (language: string, ...markers: string[]): CodeBlock => ({
  file: "R.md",
  line: 1,
  language,
  markers,
  code: "",
});

describe("planBlock", () => {
  it("type-checks TypeScript, runs it with `run`, uses the prelude with `fragment`", () => {
    expect(planBlock(block("ts")).action).toBe("type-check");
    expect(planBlock(block("typescript", "run")).action).toBe("run");
    expect(planBlock(block("ts", "fragment")).action).toBe("type-check-fragment");
  });

  it("loads TOML (alone with `fragment`), parses JSON, runs shell only with `run`", () => {
    expect(planBlock(block("toml")).action).toBe("load-toml");
    expect(planBlock(block("toml", "fragment")).action).toBe("load-toml-fragment");
    expect(planBlock(block("json")).action).toBe("parse-json");
    expect(planBlock(block("sh")).action).toBe("none");
    expect(planBlock(block("bash", "run")).action).toBe("run-shell");
    expect(planBlock(block("yaml")).action).toBe("none");
  });

  it("reports a marker the language does not take instead of ignoring it", () => {
    expect(planBlock(block("ts", "runn")).problem).toContain("runn");
    expect(planBlock(block("toml", "run")).problem).toContain("run");
    expect(planBlock(block("ts", "run", "fragment")).problem).toContain("both");
    expect(planBlock(block("yaml", "run")).problem).toContain("not checked");
  });
});
