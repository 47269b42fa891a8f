// Child process running @fabricatio/gateway (as `fabricatio serve` does) in front of the mock,
// with the default [gateway] settings: access logs on, no keys, loopback.
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { devNull, tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "@fabricatio/config";
import { serve } from "@fabricatio/gateway";
import { initLogger } from "@fabricatio/logger";

const [mockUrl, variant] = process.argv.slice(2);
// Access lines are formatted and written as in production, to the null device instead of a
// terminal the harness would have to keep up with.
initLogger({ level: "INFO", stream: createWriteStream(devNull), colorize: false });
const home = mkdtempSync(path.join(tmpdir(), "bench-gateway-"));
const config = loadConfig({
  cwd: home,
  env: {},
  homeDir: home,
  dotenv: false,
  overrides: {
    routing: {
      providers: [{ ptype: "OpenAICompatible", name: "mock", key: "sk-bench", base_url: mockUrl }],
      completion_deployments: [{ id: "mock/gpt-4o-mini", group: "gpt-4o-mini" }],
    },
    // `nolog`: access lines off, to see what they cost.
    gateway: { access_log: variant !== "nolog" },
  },
});
rmSync(home, { recursive: true, force: true });
const serving = await serve({ config, port: 0, host: "127.0.0.1", env: {}, signals: ["SIGTERM"] });
process.send?.({ type: "ready", url: serving.url, pid: process.pid });
process.on("disconnect", () => {
  void serving.gateway.close({ timeoutMs: 1_000 }).then(() => process.exit(0));
});
