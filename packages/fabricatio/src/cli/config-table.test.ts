import { describe, expect, it } from "vitest";
import { formatConfigTable } from "./config-table.js";

describe("formatConfigTable", () => {
  it("aligns key, value and source, one row per field of an array of tables", () => {
    const text = formatConfigTable(
      [
        { path: "llm.send_to", value: "chat", source: "/work/app/fabricatio.toml" },
        {
          path: "routing.providers",
          value: [{ name: "openai", key: "SecretStr(REDACTED)" }],
          source: "env FABRICATIO_ROUTING__PROVIDERS",
        },
        { path: "routing.budgets", value: [], source: "default" },
        { path: "template_manager.template_stores", value: ["templates"], source: "/etc/x.toml" },
      ],
      "/work/app",
    );
    expect(text).toBe(
      [
        "KEY                               VALUE                  SOURCE",
        'llm.send_to                       "chat"                 fabricatio.toml',
        'routing.providers[0].name         "openai"               env FABRICATIO_ROUTING__PROVIDERS',
        'routing.providers[0].key          "SecretStr(REDACTED)"  env FABRICATIO_ROUTING__PROVIDERS',
        "routing.budgets                   []                     default",
        'template_manager.template_stores  ["templates"]          /etc/x.toml',
        "",
      ].join("\n"),
    );
  });

  it("lets a long value run past its column instead of cutting it", () => {
    const long = "x".repeat(80);
    const text = formatConfigTable([{ path: "a", value: long, source: "default" }], "/");
    expect(text).toContain(`"${long}"  default`);
  });
});
