import { z } from "zod";
import { configSchema } from "./schema.js";

/**
 * A JSON Schema (draft 2020-12) of fabricatio.toml, for editors (Taplo, VS Code "Even Better
 * TOML") to validate and complete it. The package also ships it as `fabricatio.schema.json`
 * (`@fabricatio/config/schema.json`).
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema(["templates", "<roaming>/fabricatio/templates"]), {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://github.com/Whth/fabricatio/fabricatio.schema.json",
    title: "fabricatio.toml",
    description:
      "Configuration of Fabricatio: LLM defaults, routing, templates, logging, MCP servers and extensions.",
  };
}
