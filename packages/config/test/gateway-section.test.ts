import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { redactSecrets } from "@fabricatio/logger";
import { afterAll, describe, expect, it } from "vitest";
import {
  ConfigFileError,
  ConfigValidationError,
  type LoadConfigOptions,
  loadConfig,
  SecretStr,
} from "../src/index.js";

const root = mkdtempSync(path.join(tmpdir(), "fabricatio-config-gateway-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

function project(toml: string, file = "fabricatio.toml"): string {
  const cwd = path.join(root, `project-${++counter}`);
  mkdirSync(cwd, { recursive: true });
  writeFileSync(path.join(cwd, file), toml);
  return cwd;
}

const load = (cwd: string, options: LoadConfigOptions = {}) =>
  loadConfig({ cwd, env: {}, homeDir: path.join(root, "home"), platform: "linux", ...options });

const KEY = "gw-key-0123456789abcdef";

describe("[gateway]", () => {
  it("defaults to loopback port 4000 with no keys, 10 MiB bodies and a 10 s rate-limit wait", () => {
    const config = load(project(""));
    expect(config.gateway).toEqual({
      host: "127.0.0.1",
      port: 4000,
      keys: [],
      body_limit_bytes: 10 * 1024 * 1024,
      request_timeout_s: 600,
      max_wait_s: 10,
      shutdown_timeout_s: 30,
      access_log: true,
      log_prompts: false,
    });
  });

  it("holds each key as a SecretStr, redacted in toJSON and registered for redaction", () => {
    const config = load(
      project(`[[gateway.keys]]
key = "${KEY}"
name = "team-a"
groups = ["fast"]
rpm = 60
budget_usd = 5
`),
    );
    const [entry] = config.gateway.keys;
    expect(entry?.key).toBeInstanceOf(SecretStr);
    expect(entry?.key.getSecretValue()).toBe(KEY);
    expect(entry).toMatchObject({ name: "team-a", groups: ["fast"], rpm: 60, budget_usd: 5 });
    expect(entry?.budget_period_s).toBe(86_400);
    const json = config.toJSON() as { gateway: { keys: { key: string }[] } };
    expect(json.gateway.keys[0]?.key).toBe("SecretStr(REDACTED)");
    expect(JSON.stringify(config.explain())).not.toContain(KEY);
    expect(redactSecrets(`echo ${KEY}`)).not.toContain(KEY);
  });

  it("rejects a short key and a key or name given twice, naming each", () => {
    const cwd = project(`[[gateway.keys]]
key = "short"
[[gateway.keys]]
key = "${KEY}"
name = "a"
[[gateway.keys]]
key = "${KEY}"
name = "a"
`);
    let caught: unknown;
    try {
      load(cwd);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const paths = (caught as ConfigValidationError).issues.map((issue) => issue.path);
    expect(paths).toEqual(["gateway.keys.0.key", "gateway.keys.2.key", "gateway.keys.2.name"]);
    expect((caught as Error).message).not.toContain(KEY);
  });
});

describe("configFile", () => {
  it("reads the given file in place of fabricatio.toml", () => {
    const cwd = project("[gateway]\nport = 1111\n");
    writeFileSync(path.join(cwd, "serve.toml"), "[gateway]\nport = 2222\n");
    expect(load(cwd).gateway.port).toBe(1111);
    const config = load(cwd, { configFile: "serve.toml" });
    expect(config.gateway.port).toBe(2222);
    expect(config.sourceOf("gateway.port")).toBe(path.join(cwd, "serve.toml"));
  });

  it("fails with ConfigFileError naming a file that does not exist", () => {
    const cwd = project("");
    expect(() => load(cwd, { configFile: "missing.toml" })).toThrow(ConfigFileError);
    expect(() => load(cwd, { configFile: "missing.toml" })).toThrow(path.join(cwd, "missing.toml"));
  });
});
