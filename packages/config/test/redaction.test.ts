import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { redactSecrets, secretRegistry } from "@fabricatio/logger";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigValidationError, type LoadConfigOptions, loadConfig } from "../src/index.js";

const root = mkdtempSync(path.join(tmpdir(), "fabricatio-config-redact-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => secretRegistry().clear());

let cwd: string;
let counter = 0;
beforeEach(() => {
  counter += 1;
  cwd = path.join(root, `project-${counter}`);
  mkdirSync(cwd, { recursive: true });
});

const CANARY = "canary-Zq81-secret-value";
const write = (text: string) => writeFileSync(path.join(cwd, "fabricatio.toml"), text);
const load = (options: LoadConfigOptions = {}) =>
  loadConfig({ cwd, env: {}, homeDir: root, platform: "linux", ...options });

function loadError(options: LoadConfigOptions = {}): Error {
  try {
    load(options);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected loadConfig to throw");
}

describe("config output", () => {
  it("masks MCP env values and headers, the Redis password and URL credentials in every form", () => {
    write(
      [
        "[routing]",
        `redis_url = "redis://:${CANARY}@127.0.0.1:6379/0"`,
        "[[routing.providers]]",
        'ptype = "OpenAICompatible"',
        'name = "azure"',
        `key = "${CANARY}-key"`,
        `base_url = "https://user:${CANARY}@example.com/v1?api-version=1&api-key=${CANARY}"`,
        "[mcp.servers.github]",
        'command = "github-mcp"',
        `env = { GITHUB_TOKEN = "${CANARY}-gh", DEBUG = "1" }`,
        "[mcp.servers.remote]",
        'type = "sse"',
        `url = "https://example.com/sse?token=${CANARY}"`,
        `headers = { Authorization = "Bearer ${CANARY}-bearer" }`,
      ].join("\n"),
    );
    const config = load();
    const renderings = [
      JSON.stringify(config.toJSON()),
      JSON.stringify(config),
      JSON.stringify(config.explain()),
      config
        .explain()
        .map((entry) => `${entry.path} = ${JSON.stringify(entry.value)}`)
        .join("\n"),
    ];
    for (const rendering of renderings) expect(rendering).not.toContain(CANARY);
    const json = config.toJSON() as {
      routing: { redis_url: string; providers: { base_url: string; key: string }[] };
      mcp: { servers: Record<string, { env?: object; headers?: object; url?: string }> };
    };
    expect(json.routing.redis_url).toBe("redis://***@127.0.0.1:6379/0");
    expect(json.routing.providers[0]?.base_url).toBe(
      "https://***@example.com/v1?api-version=1&api-key=***",
    );
    expect(json.routing.providers[0]?.key).toBe("SecretStr(REDACTED)");
    expect(json.mcp.servers.github?.env).toEqual({ GITHUB_TOKEN: "***", DEBUG: "***" });
    expect(json.mcp.servers.remote?.headers).toEqual({ Authorization: "***" });
    expect(json.mcp.servers.remote?.url).toBe("https://example.com/sse?token=***");
    // The values themselves stay usable.
    expect(config.mcp.servers.github?.env?.GITHUB_TOKEN).toBe(`${CANARY}-gh`);
    expect(config.routing.redis_url).toContain(CANARY);
  });

  it("registers every secret it finds, so later logs and errors mask it too", () => {
    write(
      [
        "[[routing.providers]]",
        'ptype = "Anthropic"',
        `keys = ["${CANARY}-one", "${CANARY}-two"]`,
        "[mcp.servers.github]",
        'command = "x"',
        `env = { GITHUB_TOKEN = "${CANARY}-gh" }`,
      ].join("\n"),
    );
    load();
    expect(redactSecrets(`401: key ${CANARY}-two rejected; token ${CANARY}-gh`)).toBe(
      "401: key *** rejected; token ***",
    );
  });
});

describe("validation errors", () => {
  it("never print a key given as a table", () => {
    write(
      ["[[routing.providers]]", 'ptype = "OpenAI"', `key = { value = "${CANARY}" }`].join("\n"),
    );
    const error = loadError();
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).issues[0]?.path).toBe("routing.providers.0.key");
    expect(error.message).not.toContain(CANARY);
    expect(inspect((error as ConfigValidationError).issues, { depth: 5 })).not.toContain(CANARY);
  });

  it("never print the text of FABRICATIO_ROUTING__PROVIDERS when its JSON has a typo", () => {
    const error = loadError({
      env: {
        FABRICATIO_ROUTING__PROVIDERS: `[{"ptype": "OpenAI", "key": "${CANARY}",}]`,
      },
    });
    expect(error).toBeInstanceOf(ConfigValidationError);
    const issue = (error as ConfigValidationError).issues[0];
    expect(issue).toMatchObject({
      path: "routing.providers",
      value: "***",
      source: "env FABRICATIO_ROUTING__PROVIDERS",
    });
    expect(error.message).not.toContain(CANARY);
  });

  it("never print the password of a redis_url that breaks a rule", () => {
    write(
      ["[routing]", 'cache_store = "redis"', `redis_url = "http://:${CANARY}@cache:6379"`].join(
        "\n",
      ),
    );
    const error = loadError();
    expect((error as ConfigValidationError).issues[0]).toMatchObject({
      path: "routing.redis_url",
      value: "http://***@cache:6379",
    });
    expect(error.message).not.toContain(CANARY);
  });

  it("never print an MCP env value or header of the wrong type", () => {
    write(
      [
        "[mcp.servers.remote]",
        'type = "stream"',
        'url = "https://example.com/mcp"',
        `headers = { Authorization = ["Bearer ${CANARY}"] }`,
      ].join("\n"),
    );
    const error = loadError();
    expect((error as ConfigValidationError).issues[0]).toMatchObject({
      path: "mcp.servers.remote.headers.Authorization",
      value: "***",
    });
    expect(error.message).not.toContain(CANARY);
  });
});
