// The packages `createLLM` is built from (and the small signify) are namespaces of this entry.
// The optional ones (stubgen with TypeScript and ts-morph, mcp-manager with the MCP SDK,
// deck-loader, tex-convertor, scanner) are subpath-only, `fabricatio/stubgen` and so on, so that
// importing `fabricatio` does not load them: see BENCHMARKS.md for what each costs.
export * as config from "@fabricatio/config";
export * as constants from "@fabricatio/constants";
export * as gateway from "@fabricatio/gateway";
export * as logger from "@fabricatio/logger";
export * as signify from "@fabricatio/signify";
export * as thryd from "@fabricatio/thryd";
export type { CliIo } from "./cli/io.js";
export { runCli } from "./cli/program.js";
export {
  DuplicateChoiceError,
  EmptyRerankQueryError,
  FabricatioError,
  InputNotFoundError,
  InvalidOptionError,
  isFabricatioError,
  McpServerNotConfiguredError,
  NothingPickedError,
  SendToNotSpecifiedError,
  SettingNotSpecifiedError,
  TemplateHelperError,
  TemplateNotFoundError,
  TemplateRenderError,
  ToolLoopAbortedError,
  ToolLoopMaxStepsError,
  ToolReportedError,
  UnsupportedCacheModeError,
  UsageError,
  ValidationFailedError,
} from "./errors.js";
export {
  extractCode,
  extractCodeBlock,
  extractGenericString,
  parseJsonAnswer,
} from "./llm/answer-parsing.js";
export type { CacheMode } from "./llm/cache-mode.js";
export { resolveCacheMode } from "./llm/cache-mode.js";
export type { CacheSettings } from "./llm/cache-settings.js";
export { CACHE_FILE_NAME, describeCache } from "./llm/cache-settings.js";
export type { CreateLLMOptions, FabricatioLLM } from "./llm/create-llm.js";
export { createLLM } from "./llm/create-llm.js";
export type {
  EnumLike,
  EnumMember,
  EnumObject,
  EnumValue,
  ZodEnumLike,
} from "./llm/enum-choices.js";
export type { Validator } from "./llm/llm.js";
export { DEFAULT_MAX_BATCH_EMB_SIZE, LLM } from "./llm/llm.js";
export type {
  AskOptions,
  BackendCallOptions,
  CachedBackend,
  CacheOptions,
  ChatOptions,
  ChatResult,
  Choice,
  ChooseOptions,
  CompletionOptions,
  EmbedOptions,
  ImageInput,
  JsonOptions,
  JsonSchemaLike,
  ListOptions,
  LlmBackends,
  LlmSettings,
  MappingOptions,
  McpSettings,
  RerankOptions,
  StandardJsonSchemaConverter,
  StructuredOutputMode,
  ValidateOptions,
} from "./llm/types.js";
export {
  CodeBlockParser,
  ContentBlockParser,
  GenericBlockParser,
} from "./parsing/block-parsers.js";
export { CodeSnippet, CodeSnippetParser } from "./parsing/code-snippet.js";
export { JsonParser } from "./parsing/json-parser.js";
export { genericParser, jsonParser, pythonParser, snippetParser } from "./parsing/parsers.js";
export { TextCapturer } from "./parsing/text-capturer.js";
export type { ValueOf, ValueType } from "./parsing/value-type.js";
export { detectLanguage, LANGUAGE_NAMES } from "./templates/helpers/detect-language.js";
export type { TemplateManagerOptions } from "./templates/template-manager.js";
export { BUILT_IN_TEMPLATE_STORE, TemplateManager } from "./templates/template-manager.js";
export { defineTool } from "./tools/define-tool.js";
export { DEFAULT_MAX_STEPS, DEFAULT_TOOL_TIMEOUT_MS } from "./tools/run-tool-loop.js";
export type {
  McpToolProvider,
  RunToolsOptions,
  StandardIssue,
  StandardJsonSchema,
  StandardResult,
  ToolArguments,
  ToolCallRecord,
  ToolCallStart,
  ToolDefinition,
  ToolExecutionContext,
  ToolLoopResult,
  ToolLoopStep,
  ToolSource,
} from "./tools/types.js";
