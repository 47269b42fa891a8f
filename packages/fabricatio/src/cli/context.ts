import { type Config, loadConfig } from "@fabricatio/config";
import { initLogger, isLoggerInitialized } from "@fabricatio/logger";
import { createLLM, type FabricatioLLM } from "../llm/create-llm.js";
import type { CliIo } from "./io.js";

/** Lazily loaded configuration and facade of one CLI run. */
export class CliContext {
  #config: Config | undefined;
  #llm: FabricatioLLM | undefined;

  constructor(
    readonly io: CliIo,
    readonly version = "0.0.0",
  ) {}

  /** The configuration of the working directory. @throws {ConfigParseError} | {ConfigValidationError} */
  config(): Config {
    this.#config ??= loadConfig({ cwd: this.io.cwd, env: this.io.env });
    return this.#config;
  }

  /** The LLM facade, built on first use; logging goes to stderr at the config's level. */
  llm(): FabricatioLLM {
    if (!this.#llm) {
      const config = this.config();
      if (!isLoggerInitialized()) {
        initLogger({
          level: config.debug.log_level,
          logDir: config.debug.log_dir,
          rotation: config.debug.rotation,
          stream: { write: (text: string) => this.io.stderr(text), isTTY: this.io.stderrIsTTY },
          env: this.io.env,
        });
      }
      this.#llm = createLLM({ config, env: this.io.env });
    }
    return this.#llm;
  }

  /** Releases what the run opened (cache database, connection pools). */
  async close(): Promise<void> {
    await this.#llm?.close();
  }
}
