export type { ParsedChatRequest } from "./chat/parse-chat-request.js";
export { parseChatRequest } from "./chat/parse-chat-request.js";
export type { GatewayErrorOptions } from "./errors/gateway-error.js";
export { GatewayError, isGatewayError } from "./errors/gateway-error.js";
export {
  GatewayShutdownError,
  GatewayStartError,
  GatewayTimeoutError,
} from "./errors/lifecycle-errors.js";
export { KeyBudgetExceededError, KeyRateLimitError } from "./errors/limit-errors.js";
export {
  GatewayAuthError,
  GatewayRequestError,
  ModelNotFoundError,
} from "./errors/request-errors.js";
export type { KeyRingOptions } from "./keys/key-ring.js";
export { ANONYMOUS_KEY, defaultKeyName, KeyRing } from "./keys/key-ring.js";
export { MemorySpendLedger } from "./keys/memory-spend-ledger.js";
export type { RedisSpendLedgerOptions } from "./keys/redis-spend-ledger.js";
export { RedisSpendLedger } from "./keys/redis-spend-ledger.js";
export type { KeyBudget, SpendLedger } from "./keys/spend-ledger.js";
export type { GatewayKey } from "./keys/types.js";
export type {
  ConfiguredRouters,
  CreateRoutersOptions,
} from "./routers/create-routers-from-config.js";
export { createRoutersFromConfig } from "./routers/create-routers-from-config.js";
export type { CacheSettings } from "./routers/describe-cache.js";
export { CACHE_FILE_NAME, describeCache } from "./routers/describe-cache.js";
export type {
  CloseOptions,
  CreateGatewayOptions,
  Gateway,
  ListeningAddress,
  ListenOptions,
} from "./server/create-gateway.js";
export { createGateway, isLoopback } from "./server/create-gateway.js";
export type { GatewayRouters } from "./server/gateway-context.js";
export type { ServeOptions, ServingGateway } from "./server/serve.js";
export { serve } from "./server/serve.js";
export type { OpenAIErrorAnswer } from "./server/to-openai-error.js";
export { toOpenAIError } from "./server/to-openai-error.js";
