import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Config, loadConfig } from "@fabricatio/config";
import { initLogger } from "@fabricatio/logger";
import { createLLM } from "fabricatio";

// What undici sends as a header value: tabs, visible ASCII and obs-text. A placeholder such as
// "sk-…" fails here on the first request, whatever the README meant.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Secret values a copied config sends as HTTP headers: provider keys and MCP headers. */
function headerValues(config: Config): { where: string; value: string }[] {
  const values: { where: string; value: string }[] = [];
  config.routing.providers.forEach((provider, index) => {
    const where = `routing.providers[${index}]`;
    if (provider.key) values.push({ where: `${where}.key`, value: provider.key.getSecretValue() });
    provider.keys?.forEach((key, keyIndex) => {
      values.push({ where: `${where}.keys[${keyIndex}]`, value: key.getSecretValue() });
    });
  });
  for (const [name, server] of Object.entries(config.mcp.servers)) {
    for (const [header, value] of Object.entries(server.headers ?? {})) {
      values.push({ where: `mcp.servers.${name}.headers.${header}`, value: String(value) });
    }
  }
  return values;
}

/** The key variables a provider without `key` falls back to, set to ASCII placeholders. */
const PROVIDER_KEY_ENV: Readonly<Record<string, string>> = {
  OPENAI_API_KEY: "sk-readme-check",
  ANTHROPIC_API_KEY: "sk-ant-readme-check",
  GEMINI_API_KEY: "gemini-readme-check",
};

/**
 * What is wrong with a TOML block used as a `fabricatio.toml`, as messages (empty when nothing):
 * it must load with @fabricatio/config alone (no other source: an empty environment, no global
 * file, no `.env`) without an error or a warning (an unknown key warns), its keys and MCP headers
 * must be sendable as HTTP headers, and unless it is a `fragment` (a few keys shown alone), the
 * umbrella's `createLLM` must build its providers and deployments, with the provider key
 * variables set as a reader following the README has them (a provider without `key` reads them).
 */
export async function checkToml(
  code: string,
  { fragment }: { fragment: boolean },
): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "readme-check-toml-"));
  const warnings: string[] = [];
  const file = path.join(dir, "fabricatio.toml");
  initLogger({
    level: "WARN",
    format: "json",
    stream: {
      write: (text: string) => {
        for (const line of text.split("\n").filter(Boolean)) {
          const { message } = JSON.parse(line) as { message: string };
          warnings.push(message.replaceAll(file, "the block"));
        }
      },
    },
  });
  try {
    writeFileSync(file, code);
    let config: Config;
    try {
      config = loadConfig({
        cwd: dir,
        env: {},
        dotenv: false,
        homeDir: dir,
        globalConfigPath: path.join(dir, "no-global.toml"),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return [`does not load: ${message.replaceAll(file, "the block")}`];
    }
    const problems = warnings.map((warning) => `warns when loaded: ${warning}`);
    for (const { where, value } of headerValues(config)) {
      if (!HEADER_VALUE.test(value)) {
        problems.push(
          `${where} holds a character HTTP headers cannot carry (${JSON.stringify(value)}); write placeholders in ASCII, such as "sk-your-key"`,
        );
      }
    }
    if (!fragment && problems.length === 0) {
      try {
        const llm = createLLM({ config, env: PROVIDER_KEY_ENV, cache: false });
        await llm.close();
      } catch (error) {
        problems.push(
          `createLLM cannot build it: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
