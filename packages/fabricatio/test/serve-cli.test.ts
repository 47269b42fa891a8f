import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type MockLlmServer, startMockLlm } from "@fabricatio/mock-llm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/cli/main.js");
const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-serve-"));
let mock: MockLlmServer;

beforeAll(async () => {
  mock = await startMockLlm();
  writeFileSync(
    path.join(temp, "serve.toml"),
    `[[routing.providers]]
ptype = "OpenAICompatible"
name = "mock"
key = "sk-serve-test-123456"
base_url = "${mock.url}"

[[routing.completion_deployments]]
id = "mock/gpt-mock"
group = "fast"
`,
  );
}, 30_000);

afterAll(async () => {
  await mock.close();
  rmSync(temp, { recursive: true, force: true });
});

describe("fabricatio serve", () => {
  it("serves the groups of --config on --port, says it is loopback only, and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [cli, "serve", "--port", "0", "--host", "0.0.0.0", "--config", "serve.toml"],
      {
        cwd: temp,
        env: { PATH: process.env.PATH, HOME: temp, XDG_CONFIG_HOME: temp, NO_COLOR: "1" },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 20 s:\n${stderr}`)), 20_000);
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += String(chunk);
        const line = stdout.split("\n").find((entry) => entry.startsWith("http://"));
        if (line) {
          clearTimeout(timer);
          resolve(line.trim());
        }
      });
      void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
    });
    try {
      // No [gateway] keys: 0.0.0.0 is refused for loopback, and the log says so.
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(stderr).toMatch(/loopback \(127\.0\.0\.1\) only, not on 0\.0\.0\.0/);
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "fast", messages: [{ role: "user", content: "cli" }] }),
      });
      const json = (await response.json()) as { choices: { message: { content: string } }[] };
      expect(json.choices[0]?.message.content).toBe("echo: cli");
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(stderr).not.toContain("sk-serve-test-123456");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 60_000);

  it("exits 2 naming a --port that is not a port", async () => {
    const child = spawn(process.execPath, [cli, "serve", "--port", "http"], {
      cwd: temp,
      env: { PATH: process.env.PATH, HOME: temp, XDG_CONFIG_HOME: temp, NO_COLOR: "1" },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += String(chunk);
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("--port");
  }, 30_000);
});
