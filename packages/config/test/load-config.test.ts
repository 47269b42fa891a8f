import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { flushLogger, initLogger } from "@fabricatio/logger";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigParseError,
  ConfigValidationError,
  InvalidAgentVariantError,
  isConfigError,
  type LoadConfigOptions,
  loadConfig,
  SecretStr,
} from "../src/index.js";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const root = mkdtempSync(path.join(tmpdir(), "fabricatio-config-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let cwd: string;
let home: string;
let globalFile: string;
let counter = 0;

beforeEach(() => {
  counter += 1;
  cwd = path.join(root, `project-${counter}`);
  home = path.join(root, `home-${counter}`);
  mkdirSync(cwd, { recursive: true });
  globalFile = path.join(home, ".config/fabricatio/fabricatio.toml");
  mkdirSync(path.dirname(globalFile), { recursive: true });
});

function load(options: LoadConfigOptions = {}) {
  return loadConfig({ cwd, env: {}, homeDir: home, platform: "linux", ...options });
}

/** What `load` throws, or `undefined` when it does not. */
function loadError(options: LoadConfigOptions = {}): unknown {
  try {
    load(options);
  } catch (error) {
    return error;
  }
  return undefined;
}

const write = (file: string, text: string) => writeFileSync(path.join(cwd, file), text);

describe("defaults", () => {
  it("match the original's when no source sets anything", () => {
    const config = load();
    expect(config.debug).toEqual({ log_level: "INFO" });
    expect(config.llm.stream).toBe(false);
    expect(config.llm.temperature).toBeUndefined();
    expect(config.templates.make_choice_template).toBe("built-in/make_choice");
    expect(config.templates.create_json_obj_template).toBe("built-in/create_json_obj");
    expect(Object.keys(config.templates)).toHaveLength(13);
    expect(config.template_manager).toEqual({
      template_stores: ["templates", path.join(home, ".config/fabricatio/templates")],
      active_loading: false,
      template_suffix: "hbs",
    });
    expect(config.general.use_json_repair).toBe(true);
    expect(config.emitter.delimiter).toBe("::");
    expect(config.routing.providers).toEqual([]);
    expect(config.mcp.servers).toEqual({});
    expect(config.sourceOf("debug.log_level")).toBe("default");
  });
});

describe("sources", () => {
  it.each([
    [
      "fabricatio.toml",
      () => write("fabricatio.toml", "[llm]\ntemperature = 0.1\n"),
      () => path.join(cwd, "fabricatio.toml"),
    ],
    [
      "pyproject.toml [tool.fabricatio]",
      () =>
        write(
          "pyproject.toml",
          '[project]\nname = "x"\n[tool.fabricatio.llm]\ntemperature = 0.1\n',
        ),
      () => path.join(cwd, "pyproject.toml"),
    ],
    [
      'package.json "fabricatio"',
      () =>
        write(
          "package.json",
          JSON.stringify({ name: "x", fabricatio: { llm: { temperature: 0.1 } } }),
        ),
      () => path.join(cwd, "package.json"),
    ],
    [
      "the global file",
      () => writeFileSync(globalFile, "[llm]\ntemperature = 0.1\n"),
      () => globalFile,
    ],
    [
      ".env",
      () => write(".env", "FABRICATIO_LLM__TEMPERATURE=0.1\n"),
      () => `${path.join(cwd, ".env")} FABRICATIO_LLM__TEMPERATURE`,
    ],
  ])("reads %s and records it as the source", (_name, setUp, expectedSource) => {
    setUp();
    const config = load();
    expect(config.llm.temperature).toBe(0.1);
    expect(config.sourceOf("llm.temperature")).toBe(expectedSource());
  });

  it("reads FABRICATIO_ variables with __ nesting and case-insensitive keys", () => {
    const config = load({
      env: {
        FABRICATIO_llm__Temperature: "0.7",
        FABRICATIO_EXT__WEBUI__ADDR: "127.0.0.1:8080",
        FABRICATIO_LLM__STREAM: "true",
        FABRICATIO_LLM__MAX_COMPLETION_TOKENS: "1_000",
        FABRICATIO_ROUTING__COMPLETION_DEPLOYMENTS: '[{"id":"a/b","group":"g","rpm":5}]',
        OTHER: "ignored",
      },
    });
    expect(config.llm.temperature).toBe(0.7);
    expect(config.llm.stream).toBe(true);
    expect(config.llm.max_completion_tokens).toBe(1000);
    expect(config.ext()).toEqual({ webui: { addr: "127.0.0.1:8080" } });
    expect(config.routing.completion_deployments).toEqual([{ id: "a/b", group: "g", rpm: 5 }]);
    expect(config.sourceOf("llm.temperature")).toBe("env FABRICATIO_llm__Temperature");
  });

  it("takes call-time overrides", () => {
    const config = load({ overrides: { llm: { temperature: 1.5 } } });
    expect(config.llm.temperature).toBe(1.5);
    expect(config.sourceOf("llm.temperature")).toBe("override");
  });
});

describe("precedence", () => {
  it("resolves a key set in every layer to the highest, layer by layer", () => {
    writeFileSync(globalFile, "[llm]\ntemperature = 0.7\n");
    write("package.json", JSON.stringify({ fabricatio: { llm: { temperature: 0.6 } } }));
    write("pyproject.toml", "[tool.fabricatio.llm]\ntemperature = 0.5\n");
    write("fabricatio.toml", "[llm]\ntemperature = 0.4\n");
    const env = { FABRICATIO_LLM__TEMPERATURE: "0.3" };
    write(".env", "FABRICATIO_LLM__TEMPERATURE=0.2\n");
    expect(load({ env, overrides: { llm: { temperature: 0.1 } } }).llm.temperature).toBe(0.1);
    expect(load({ env }).llm.temperature).toBe(0.2);
    rmSync(path.join(cwd, ".env"));
    expect(load({ env }).llm.temperature).toBe(0.3);
    expect(load().llm.temperature).toBe(0.4);
    rmSync(path.join(cwd, "fabricatio.toml"));
    expect(load().llm.temperature).toBe(0.5);
    rmSync(path.join(cwd, "pyproject.toml"));
    expect(load().llm.temperature).toBe(0.6);
    rmSync(path.join(cwd, "package.json"));
    expect(load().llm.temperature).toBe(0.7);
    rmSync(globalFile);
    expect(load().llm.temperature).toBeUndefined();
  });

  it("merges tables per key and replaces arrays whole", () => {
    writeFileSync(
      globalFile,
      '[llm]\ntop_p = 0.9\n[template_manager]\ntemplate_stores = ["a", "b"]\n',
    );
    write(
      "fabricatio.toml",
      '[llm]\ntemperature = 0.4\n[template_manager]\ntemplate_stores = ["c"]\n',
    );
    const config = load({ env: { FABRICATIO_LLM__EFFORT: "high" } });
    expect(config.llm).toMatchObject({ temperature: 0.4, top_p: 0.9, effort: "high" });
    expect(config.template_manager.template_stores).toEqual(["c"]);
    expect(config.sourceOf("llm.top_p")).toBe(globalFile);
  });

  it("does not let .env touch the process environment it was given", () => {
    write(".env", "FABRICATIO_LLM__TEMPERATURE=0.2\n");
    const env: Record<string, string> = {};
    load({ env });
    expect(env).toEqual({});
  });
});

describe("validation", () => {
  it("reports every broken rule at once with key, value, rule and source", () => {
    write(
      "fabricatio.toml",
      [
        "[llm]",
        "temperature = 3",
        "top_p = -0.1",
        "max_completion_tokens = 0",
        "presence_penalty = 5",
        "[[routing.providers]]",
        'ptype = "Bogus"',
        'base_url = "not a url"',
        'key = "sk-secret"',
        "[[routing.completion_deployments]]",
        'id = "no-slash"',
        'group = "g"',
        "rpm = -1",
        "tpm = 1.5",
      ].join("\n"),
    );
    const caught = loadError({ env: { FABRICATIO_LLM__FREQUENCY_PENALTY: "-3" } });
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect(isConfigError(caught)).toBe(true);
    const error = caught as ConfigValidationError;
    const file = path.join(cwd, "fabricatio.toml");
    const byPath = Object.fromEntries(error.issues.map((issue) => [issue.path, issue]));
    expect(byPath["llm.temperature"]).toEqual({
      path: "llm.temperature",
      value: 3,
      rule: "must be between 0 and 2",
      source: file,
    });
    expect(byPath["llm.top_p"]?.rule).toBe("must be between 0 and 1");
    expect(byPath["llm.max_completion_tokens"]?.rule).toBe("must be at least 1");
    expect(byPath["llm.presence_penalty"]?.rule).toBe("must be between -2 and 2");
    expect(byPath["llm.frequency_penalty"]).toMatchObject({
      value: -3,
      source: "env FABRICATIO_LLM__FREQUENCY_PENALTY",
    });
    expect(byPath["routing.providers.0.ptype"]?.rule).toBe(
      "must be one of OpenAI, OpenAICompatible, Anthropic, Gemini, Dummy",
    );
    expect(byPath["routing.providers.0.base_url"]).toMatchObject({
      value: "not a url",
      rule: "must be a valid URL",
    });
    expect(byPath["routing.completion_deployments.0.id"]?.rule).toBe(
      'must have the form "provider/model"',
    );
    expect(byPath["routing.completion_deployments.0.rpm"]?.rule).toBe("must be a positive integer");
    expect(byPath["routing.completion_deployments.0.tpm"]?.rule).toBe("must be a whole number");
    expect(error.message).toContain(`llm.temperature = 3: must be between 0 and 2 (from ${file})`);
    expect(error.message).not.toContain("sk-secret");
  });

  it("warns about an unknown top-level table with a did-you-mean suggestion, and ignores it", async () => {
    const lines: string[] = [];
    initLogger({ stream: { write: (line: string) => lines.push(line) } });
    write("fabricatio.toml", "[routng]\nproviders = []\n[llm]\ntemperature = 0.5\n");
    expect(load().llm.temperature).toBe(0.5);
    await flushLogger();
    expect(lines.join("")).toContain("Unknown configuration table [routng]");
    expect(lines.join("")).toContain("did you mean [routing]?");
  });
});

describe("malformed files", () => {
  it("names the file, line and column of bad TOML", () => {
    write("fabricatio.toml", '[llm]\ntemperature = 0.5\nsend_to = "unterminated\n');
    const caught = loadError();
    expect(caught).toBeInstanceOf(ConfigParseError);
    const error = caught as ConfigParseError;
    expect(error.file).toBe(path.join(cwd, "fabricatio.toml"));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(
      new RegExp(
        `^${path.join(cwd, "fabricatio.toml").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:\\d+: `,
      ),
    );
  });

  it("names the file, line and column of bad JSON in package.json", () => {
    write("package.json", '{\n  "name": "x",\n  "fabricatio": { "llm": }\n}\n');
    expect(() => load()).toThrow(ConfigParseError);
    try {
      load();
    } catch (error) {
      expect((error as ConfigParseError).line).toBe(3);
      expect((error as ConfigParseError).file).toBe(path.join(cwd, "package.json"));
    }
  });
});

describe("secrets", () => {
  it("never shows a provider key when the config or the key is printed, inspected or serialised", () => {
    write(
      "fabricatio.toml",
      '[[routing.providers]]\nptype = "OpenAI"\nname = "openai"\nkey = "sk-very-secret"\n',
    );
    const config = load();
    const key = config.routing.providers[0]?.key;
    expect(key).toBeInstanceOf(SecretStr);
    expect(key?.getSecretValue()).toBe("sk-very-secret");
    const renderings = [
      String(key),
      `${key}`,
      JSON.stringify(key),
      inspect(key),
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      JSON.stringify(config.explain()),
      JSON.stringify(config.routing),
    ];
    for (const rendering of renderings) {
      expect(rendering).not.toContain("sk-very-secret");
    }
    expect(JSON.stringify(config)).toContain("SecretStr(REDACTED)");
    expect(String(key)).toBe("SecretStr(REDACTED)");
  });
});

describe("key pools", () => {
  it("hold every key of a pool as a SecretStr and never show one", () => {
    write(
      "fabricatio.toml",
      [
        "[[routing.providers]]",
        'ptype = "Anthropic"',
        'keys = ["sk-ant-first-secret", "sk-ant-second-secret"]',
        "key_cooldown_s = 30",
      ].join("\n"),
    );
    const config = load();
    const provider = config.routing.providers[0];
    expect(provider?.ptype).toBe("Anthropic");
    expect(provider?.key_cooldown_s).toBe(30);
    expect(provider?.keys?.map((key) => key.getSecretValue())).toEqual([
      "sk-ant-first-secret",
      "sk-ant-second-secret",
    ]);
    for (const rendering of [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      JSON.stringify(config.explain()),
    ]) {
      expect(rendering).not.toContain("secret");
    }
  });

  it("reject a pool that is not a list, naming the key and hiding the value", () => {
    write(
      "fabricatio.toml",
      '[[routing.providers]]\nptype = "Gemini"\nkeys = "AIza-real-secret"\n',
    );
    const caught = loadError();
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const issue = (caught as ConfigValidationError).issues[0];
    expect(issue?.path).toBe("routing.providers.0.keys");
    expect(issue?.value).toBe("SecretStr(REDACTED)");
    expect((caught as Error).message).not.toContain("AIza");
  });
});

describe("routing features", () => {
  it("default to off and validate each new key by its path", () => {
    expect(load().routing).toMatchObject({
      fallbacks: {},
      context_window_fallbacks: {},
      circuit_breaker: false,
      coalesce: false,
      strip_reasoning: false,
      budgets: [],
      metrics: false,
      tracing: false,
    });
    write(
      "fabricatio.toml",
      [
        "[routing]",
        "coalesce = true",
        "[routing.fallbacks]",
        'chat = ["backup", ""]',
        "[[routing.budgets]]",
        'group = "chat"',
        "limit_usd = -1",
        "[[routing.completion_deployments]]",
        'id = "openai/gpt"',
        'group = "chat"',
        "input_price_per_mtok = -0.5",
      ].join("\n"),
    );
    const caught = loadError();
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const paths = (caught as ConfigValidationError).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual([
      "routing.budgets.0.limit_usd",
      "routing.completion_deployments.0.input_price_per_mtok",
      "routing.fallbacks.chat.1",
    ]);
  });
});

describe("routing cache memory tier", () => {
  it("reads cache_memory_max_entries and cache_memory_ttl_s, unset by default", () => {
    expect(load().routing.cache_memory_max_entries).toBeUndefined();
    expect(load().routing.cache_memory_ttl_s).toBeUndefined();
    write("fabricatio.toml", "[routing]\ncache_memory_max_entries = 0\ncache_memory_ttl_s = 2.5\n");
    expect(load().routing).toMatchObject({ cache_memory_max_entries: 0, cache_memory_ttl_s: 2.5 });
  });

  it("rejects a negative or fractional size and a TTL that is not positive, by path", () => {
    write(
      "fabricatio.toml",
      "[routing]\ncache_memory_max_entries = -1.5\ncache_memory_ttl_s = 0\n",
    );
    const caught = loadError() as ConfigValidationError;
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect(caught.issues.map((issue) => issue.path).sort()).toEqual([
      "routing.cache_memory_max_entries",
      "routing.cache_memory_ttl_s",
    ]);
  });
});

describe("agent variants", () => {
  it("resolve to their group, pass other names through, and can be configured", () => {
    write("fabricatio.toml", '[agent]\ntiny = "cheap"\n');
    const config = load();
    expect(config.resolveLlmVariant("tiny")).toBe("cheap");
    expect(config.resolveLlmVariant("plan")).toBeUndefined();
    expect(config.resolveLlmVariant("openai-group")).toBe("openai-group");
    expect(config.resolveLlmVariant()).toBeUndefined();
    config.configureLlmVariant("plan", "premium");
    expect(config.resolveLlmVariant("plan")).toBe("premium");
    config.configureLlmVariant("tiny");
    expect(config.resolveLlmVariant("tiny")).toBeUndefined();
    expect(() => config.configureLlmVariant("huge", "x")).toThrow(InvalidAgentVariantError);
    expect(() => config.configureLlmVariant("huge", "x")).toThrow("Invalid agent variant: huge");
  });
});

describe("extensions", () => {
  const webui = z.object({
    addr: z.string().default("127.0.0.1:8000"),
    workers: z.number().int().default(1),
  });

  it("validates [ext.<name>] and fills defaults, also when the section is missing", () => {
    write("fabricatio.toml", '[ext.webui]\naddr = "0.0.0.0:9"\n');
    expect(load().ext("webui", webui)).toEqual({ addr: "0.0.0.0:9", workers: 1 });
    expect(load().ext("absent", webui)).toEqual({ addr: "127.0.0.1:8000", workers: 1 });
  });

  it("names the key and its source when an extension value is invalid", () => {
    const config = load({ env: { FABRICATIO_EXT__WEBUI__WORKERS: "many" } });
    expect(() => config.ext("webui", webui)).toThrow(ConfigValidationError);
    expect(() => config.ext("webui", webui)).toThrow(
      /ext\.webui\.workers = "many": .* \(from env FABRICATIO_EXT__WEBUI__WORKERS\)/,
    );
  });
});

describe("provenance", () => {
  it("explains every leaf with its source", () => {
    write("fabricatio.toml", '[llm]\nsend_to = "base"\n');
    const explained = load({ env: { FABRICATIO_DEBUG__LOG_LEVEL: "DEBUG" } }).explain();
    const byPath = Object.fromEntries(explained.map((entry) => [entry.path, entry]));
    expect(byPath["llm.send_to"]).toEqual({
      path: "llm.send_to",
      value: "base",
      source: path.join(cwd, "fabricatio.toml"),
    });
    expect(byPath["debug.log_level"]).toEqual({
      path: "debug.log_level",
      value: "DEBUG",
      source: "env FABRICATIO_DEBUG__LOG_LEVEL",
    });
    expect(byPath["emitter.delimiter"]).toEqual({
      path: "emitter.delimiter",
      value: "::",
      source: "default",
    });
  });
});

describe("the original's configuration guide", () => {
  it.each(["guide-quickstart.toml", "guide-routing.toml"])("%s loads unchanged", (name) => {
    copyFileSync(path.join(fixtures, name), path.join(cwd, "fabricatio.toml"));
    const config = load();
    expect(config.routing.providers[0]?.ptype).toBe("OpenAICompatible");
    expect(config.routing.completion_deployments[0]).toMatchObject({
      group: "base",
      tpm: 100_000,
      rpm: 1000,
    });
  });

  it("keeps the routing, agent and ext values of the guide", () => {
    copyFileSync(path.join(fixtures, "guide-routing.toml"), path.join(cwd, "fabricatio.toml"));
    const config = load();
    expect(config.routing.cache_database_path).toBe(".fabricatio.cache.db");
    expect(config.routing.retry_max_retries).toBe(3);
    expect(config.routing.embedding_deployments).toEqual([
      { id: "mm/text-embedding-3-small", group: "embed", tpm: 100_000, rpm: 1000 },
    ]);
    expect(config.resolveLlmVariant("plan")).toBe("premium");
    expect(config.ext()).toEqual({ comfyui: { base_url: "http://127.0.0.1:8188", timeout: 600 } });
  });
});

describe("MCP servers of [ext.tool] mcp_servers", () => {
  it("reads the original's [ext.tool] mcp_servers too, [mcp.servers] winning a name in both", () => {
    write(
      "fabricatio.toml",
      [
        "[ext.tool]",
        "confirm_on_ops = false",
        '[ext.tool.mcp_servers.files]\ncommand = "old-files"\nargs = ["--root", "."]',
        '[ext.tool.mcp_servers.search]\ntype = "sse"\nurl = "http://127.0.0.1:9/sse"',
        '[mcp.servers.files]\ncommand = "new-files"',
      ].join("\n"),
    );
    const servers = load().mcpServers();
    expect(Object.keys(servers)).toEqual(["files", "search"]);
    expect(servers.files).toEqual({ type: "stdio", command: "new-files" });
    expect(servers.search).toEqual({ type: "sse", url: "http://127.0.0.1:9/sse" });
  });

  it("names the key of an [ext.tool] server it cannot use", () => {
    write(
      "fabricatio.toml",
      '[ext.tool.mcp_servers.web]\ntype = "worker"\nurl = "http://127.0.0.1:9"\n',
    );
    const config = load();
    expect(() => config.mcpServers()).toThrow(ConfigValidationError);
    expect(() => config.mcpServers()).toThrow(/ext\.tool\.mcp_servers\.web\.type = "worker"/);
    expect(config.mcp.servers).toEqual({});
  });
});

describe("rerank_path of a provider", () => {
  it("loads a per-provider rerank path and rejects an empty one", () => {
    write(
      "fabricatio.toml",
      '[[routing.providers]]\nptype = "OpenAICompatible"\nname = "voyage"\nkey = "vk"\nrerank_path = "v1/rerank"\n',
    );
    expect(load().routing.providers[0]?.rerank_path).toBe("v1/rerank");
    write(
      "fabricatio.toml",
      '[[routing.providers]]\nptype = "OpenAICompatible"\nrerank_path = ""\n',
    );
    expect(() => load()).toThrow(/routing\.providers\.0\.rerank_path/);
  });
});
