export { completionCacheKey, embeddingCacheKey, rerankCacheKey } from "./cache/cache-keys.js";
export type { RouterCacheOptions } from "./cache/router-cache.js";
export { defaultCachePath, RouterCache } from "./cache/router-cache.js";
export { RateLimitExceededError } from "./errors/rate-limit-exceeded-error.js";
export { RateLimitStoreError } from "./errors/rate-limit-store-error.js";
export {
  DummyExhaustedError,
  InvalidIdentifierError,
  ModelNotSupportedError,
  ProviderCreateError,
  UnknownGroupError,
  UnknownProviderError,
} from "./errors/router-errors.js";
export type { ThrydErrorOptions } from "./errors/thryd-error.js";
export { isThrydError, isTransientError, ThrydError } from "./errors/thryd-error.js";
export {
  AbortedError,
  ApiError,
  CacheError,
  MAX_ERROR_BODY_CHARS,
  NetworkError,
  ParseError,
  SseError,
  TimeoutError,
} from "./errors/transport-errors.js";
export type { DeploymentOptions } from "./limits/deployment.js";
export { Deployment } from "./limits/deployment.js";
export { MemoryRateLimitStore } from "./limits/memory-rate-limit-store.js";
export type {
  RedisCommandClient,
  RedisRateLimitStoreOptions,
} from "./limits/redis-rate-limit-store.js";
export { RedisRateLimitStore } from "./limits/redis-rate-limit-store.js";
export type { RedisRateLimiter, RedisReservation } from "./limits/redis-rate-limiter.js";
export type { Reservation, SlidingWindowOptions, WindowUsage } from "./limits/sliding-window.js";
export { SlidingWindow } from "./limits/sliding-window.js";
export type { AsyncRateLimiter, RateLimiter, RateLimitStore, RateLimits } from "./limits/spec.js";
export type { DummyModelOptions, DummyOutcome } from "./models/dummy-model.js";
export { DummyModel } from "./models/dummy-model.js";
export {
  buildChatBody,
  CHAT_COMPLETIONS_PATH,
  OpenAICompletionModel,
} from "./models/openai-completion-model.js";
export { EMBEDDINGS_PATH, OpenAIEmbeddingModel } from "./models/openai-embedding-model.js";
export { OpenAIRerankModel } from "./models/openai-rerank-model.js";
export type { SseEvent } from "./models/sse.js";
export { parseSse } from "./models/sse.js";
export type { CreateProviderOptions, ProviderType } from "./providers/create-provider.js";
export { createProvider, PROVIDER_TYPES } from "./providers/create-provider.js";
export { DummyProvider } from "./providers/dummy-provider.js";
export { closeHttpPools, httpPoolCount } from "./providers/http-pool.js";
export type { OpenAICompatibleProviderOptions } from "./providers/openai-compatible-provider.js";
export {
  OPENAI_BASE_URL,
  OpenAICompatibleProvider,
} from "./providers/openai-compatible-provider.js";
export type { RetryConfig } from "./router/retry.js";
export { backoffMs } from "./router/retry.js";
export type { InvokeOptions, RouterOptions } from "./router/router.js";
export {
  createCompletionRouter,
  createEmbeddingRouter,
  createRerankRouter,
  Router,
} from "./router/router.js";
export type { Sleep } from "./router/sleep.js";
export type { RoutingStrategy } from "./router/strategies.js";
export { ROUTING_STRATEGIES } from "./router/strategies.js";
export { countTokens, countTokensBatch, TOKEN_CACHE_MAX_ENTRIES } from "./tokens/count-tokens.js";
export { bytesToDataUri, sniffMimeType } from "./tokens/data-uri.js";
export type {
  CallOptions,
  CompletionModel,
  CompletionRequest,
  CompletionResponse,
  EmbeddingModel,
  EmbeddingRequest,
  EmbeddingResponse,
  Model,
  ModelKind,
  ModelKinds,
  Provider,
  Ranking,
  RequestOf,
  RerankModel,
  RerankRequest,
  RerankResponse,
  ResponseOf,
  StreamEvent,
  StreamingResponse,
  Usage,
} from "./types.js";
