import type { Config } from "@fabricatio/config";
import type { FabricatioLLM } from "../llm/create-llm.js";
import type { CliIo } from "./io.js";

// Set once a run has loaded the logger; `--version` and friends never load it.
let flushLoadedLogger: (() => Promise<void>) | undefined;

/** Flushes the log files of the logger, if a CLI run loaded it (`main.ts` calls it on exit). */
export async function flushLoggerIfLoaded(): Promise<void> {
  await flushLoadedLogger?.();
}

/**
 * Lazily loaded configuration and facade of one CLI run. Each is imported on first use, so a
 * command that needs neither (`--version`, `tokens`, `signify`) never loads the config schema,
 * the router or the logger.
 */
export class CliContext {
  #config: Config | undefined;
  #llm: FabricatioLLM | undefined;

  constructor(
    readonly io: CliIo,
    readonly version = "0.0.0",
  ) {}

  /** The configuration of the working directory. @throws {ConfigParseError} | {ConfigValidationError} */
  async config(): Promise<Config> {
    if (!this.#config) {
      const { loadConfig } = await import("@fabricatio/config");
      this.#config ??= loadConfig({ cwd: this.io.cwd, env: this.io.env });
    }
    return this.#config;
  }

  /** The LLM facade, built on first use; logging goes to stderr at the config's level. */
  async llm(): Promise<FabricatioLLM> {
    if (!this.#llm) {
      const config = await this.config();
      const [{ initLogger, isLoggerInitialized, flushLogger }, { createLLM }] = await Promise.all([
        import("@fabricatio/logger"),
        import("../llm/create-llm.js"),
      ]);
      if (!isLoggerInitialized()) {
        initLogger({
          level: config.debug.log_level,
          logDir: config.debug.log_dir,
          rotation: config.debug.rotation,
          stream: { write: (text: string) => this.io.stderr(text), isTTY: this.io.stderrIsTTY },
          env: this.io.env,
        });
      }
      flushLoadedLogger = flushLogger;
      this.#llm ??= createLLM({ config, env: this.io.env });
    }
    return this.#llm;
  }

  /** Releases what the run opened (cache database, connection pools). */
  async close(): Promise<void> {
    await this.#llm?.close();
  }
}
