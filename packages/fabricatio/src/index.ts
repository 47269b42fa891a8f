export * as config from "@fabricatio/config";
export * as constants from "@fabricatio/constants";
export * as deckLoader from "@fabricatio/deck-loader";
export * as gateway from "@fabricatio/gateway";
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
  DuplicateChoiceError,
  EmptyRerankQueryError,
  FabricatioError,
  InputNotFoundError,
  InvalidOptionError,
  isFabricatioError,
  NothingPickedError,
  SendToNotSpecifiedError,
  SettingNotSpecifiedError,
  TemplateHelperError,
  TemplateNotFoundError,
  TemplateRenderError,
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
  Choice,
  ChooseOptions,
  EmbedOptions,
  ImageInput,
  JsonSchemaLike,
  ListOptions,
  LlmBackends,
  LlmSettings,
  MappingOptions,
  RerankOptions,
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
