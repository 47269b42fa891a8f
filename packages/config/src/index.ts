export type { Provenance } from "./config.js";
export { Config } from "./config.js";
export type { ConfigIssue } from "./errors.js";
export {
  ConfigError,
  ConfigFileError,
  ConfigParseError,
  ConfigValidationError,
  InvalidAgentVariantError,
  isConfigError,
} from "./errors.js";
export { configJsonSchema } from "./json-schema.js";
export { parseEnvValue } from "./layers.js";
export type { LoadConfigOptions } from "./load-config.js";
export { getConfig, loadConfig, resetConfig } from "./load-config.js";
export type {
  AgentConfig,
  ConfigSections,
  DebugConfig,
  DeploymentConfig,
  EmbeddingConfig,
  EmitterConfig,
  GatewayConfig,
  GatewayKeyConfig,
  GeneralConfig,
  LlmConfig,
  McpConfig,
  McpServerConfig,
  ProviderConfig,
  ProviderType,
  RerankerConfig,
  RoutingConfig,
  TemplateManagerConfig,
  TemplatesConfig,
} from "./schema.js";
export { configSchema, PROVIDER_TYPES, SECTION_NAMES, TEMPLATE_NAMES } from "./schema.js";
export { isSecretStr, SecretStr } from "./secret-str.js";
