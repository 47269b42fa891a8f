// The packages `createLLM` is built from (and the small signify) are namespaces of this entry.
// The optional ones (stubgen with TypeScript and ts-morph, mcp-manager with the MCP SDK,
// deck-loader, tex-convertor, scanner) are subpath-only, `fabricatio/stubgen` and so on, so that
// importing `fabricatio` does not load them: see BENCHMARKS.md for what each costs.
export * as config from "@fabricatio/config";
export * as constants from "@fabricatio/constants";
export * as logger from "@fabricatio/logger";
export * as signify from "@fabricatio/signify";
export * as thryd from "@fabricatio/thryd";
export type { CliIo } from "./cli/io.js";
export { runCli } from "./cli/program.js";
export {
  FabricatioError,
  isFabricatioError,
  SendToNotSpecifiedError,
  SettingNotSpecifiedError,
  TemplateNotFoundError,
  ToolReportedError,
  UsageError,
  ValidationFailedError,
} from "./errors.js";
export { extractCodeBlock, parseJsonAnswer } from "./llm/answer-parsing.js";
export type { CreateLLMOptions, FabricatioLLM } from "./llm/create-llm.js";
export { createLLM } from "./llm/create-llm.js";
export { LLM } from "./llm/llm.js";
export type {
  AskOptions,
  Choice,
  EmbedOptions,
  JsonSchemaLike,
  LlmBackends,
  LlmSettings,
  RerankOptions,
  ValidateOptions,
} from "./llm/types.js";
export type { TemplateManagerOptions } from "./templates/template-manager.js";
export { TemplateManager } from "./templates/template-manager.js";
