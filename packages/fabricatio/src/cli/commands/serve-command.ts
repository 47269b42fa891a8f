import type { Config } from "@fabricatio/config";
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { parseNumberFlag } from "../parse-number.js";

/**
 * `serve`: the routers of the configuration as an OpenAI-compatible gateway
 * (`@fabricatio/gateway`), until SIGTERM or SIGINT drains and stops it.
 */
export function registerServeCommand(program: Command, context: CliContext): void {
  const { io } = context;
  program
    .command("serve")
    .description("serve the configured routing groups as an OpenAI-compatible HTTP gateway")
    .option("--port <port>", "TCP port (default: [gateway] port, 4000)")
    .option("--host <host>", "interface (default: [gateway] host; loopback only without keys)")
    .option("--config <file>", "a fabricatio.toml to read instead of the one in this folder")
    .action(async (options: { port?: string; host?: string; config?: string }) => {
      const port =
        options.port === undefined
          ? undefined
          : parseNumberFlag(options.port, "--port", { min: 0, max: 65_535, integer: true });
      // Loaded here, not at start-up: no other command needs Fastify or the gateway.
      const [{ serve }, { initLogger, isLoggerInitialized }, { loadConfig }] = await Promise.all([
        import("@fabricatio/gateway"),
        import("@fabricatio/logger"),
        import("@fabricatio/config"),
      ]);
      const config: Config =
        options.config === undefined
          ? await context.config()
          : loadConfig({ cwd: io.cwd, env: io.env, configFile: options.config });
      if (!isLoggerInitialized()) {
        initLogger({
          level: config.debug.log_level,
          logDir: config.debug.log_dir,
          rotation: config.debug.rotation,
          stream: { write: (text: string) => io.stderr(text), isTTY: io.stderrIsTTY },
          env: io.env,
        });
      }
      const serving = await serve({ config, port, host: options.host, env: io.env });
      io.stdout(`${serving.url}\n`);
      await serving.closed;
    });
}
