export * as config from "@fabricatio/config";
export * as constants from "@fabricatio/constants";
export * as deckLoader from "@fabricatio/deck-loader";
export * as logger from "@fabricatio/logger";
export * as mcpManager from "@fabricatio/mcp-manager";
export * as scanner from "@fabricatio/scanner";
export * as signify from "@fabricatio/signify";
export * as stubgen from "@fabricatio/stubgen";
export * as texConvertor from "@fabricatio/tex-convertor";
export * as thryd from "@fabricatio/thryd";
export type { CliIo } from "./cli/io.js";
export { runCli } from "./cli/program.js";
export {
  FabricatioError,
  InputNotFoundError,
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
