import { describe, expect, it } from "vitest";
import * as constants from "./index.js";

describe("constants", () => {
  it("keeps the original's names and file names", () => {
    expect(constants.NAME).toBe("fabricatio");
    expect(constants.CORE_PACKAGE_NAME).toBe("fabricatio_core");
    expect(constants.CONFIG_FILE).toBe("fabricatio.toml");
    expect(constants.REPO_OWNER).toBe("Whth");
    expect(constants.REPO_NAME).toBe("fabricatio");
    expect(constants.TEMPLATES_DIRNAME).toBe("templates");
    expect(constants.LOGGER_VARNAME).toBe("logger");
    expect(constants.CONFIG_VARNAME).toBe("CONFIG");
    expect(constants.PY_SOURCE_KEY).toBe("py_source");
    expect(constants.ROUTER_VARNAME).toBe("ROUTER");
    expect(constants.TEMPLATE_MANAGER_VARNAME).toBe("TEMPLATE_MANAGER");
  });

  it("derives the window length from bucket size and count", () => {
    expect(constants.BUCKETS_WINDOW_S).toBe(constants.BUCKET_SIZE_S * constants.BUCKET_COUNT);
    expect(constants.BUCKETS_WINDOW_S).toBe(60);
    expect(constants.MINUTE_MS).toBe(60_000);
    expect(constants.SEPARATOR).toBe("/");
    expect(constants.DEFAULT_CACHE_TTL_S).toBe(3600);
  });

  it("has the original's default retry policy, frozen", () => {
    expect(constants.DEFAULT_RETRY_POLICY).toEqual({
      maxRetries: 3,
      initialBackoffMs: 1000,
      maxBackoffMs: 30_000,
      multiplier: 2,
    });
    expect(Object.isFrozen(constants.DEFAULT_RETRY_POLICY)).toBe(true);
  });
});

describe("agent variants", () => {
  it("lists the five variants cheapest first", () => {
    expect(constants.AGENT_VARIANTS).toEqual(["tiny", "smol", "task", "slow", "plan"]);
  });

  it("recognises exactly the variant names, case-sensitively", () => {
    for (const variant of constants.AGENT_VARIANTS)
      expect(constants.isAgentVariant(variant)).toBe(true);
    for (const other of ["TINY", "openai/gpt-4o", "", "large", 1, null, undefined]) {
      expect(constants.isAgentVariant(other)).toBe(false);
    }
  });

  it("maps each variant to its upper-case var name", () => {
    expect(constants.AGENT_VARIANT_VARNAMES).toEqual({
      tiny: "TINY",
      smol: "SMOL",
      task: "TASK",
      slow: "SLOW",
      plan: "PLAN",
    });
  });
});
