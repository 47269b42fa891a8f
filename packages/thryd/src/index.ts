export { CACHE_WARNING_INTERVAL_MS } from "./cache/cache-failure-log.js";
export { completionCacheKey, embeddingCacheKey, rerankCacheKey } from "./cache/cache-keys.js";
export type { CacheStoreOptions } from "./cache/open-cache-store.js";
export { defaultCachePath } from "./cache/open-cache-store.js";
export type { RouterCacheOptions } from "./cache/router-cache.js";
export {
  DEFAULT_CACHE_MEMORY_MAX_ENTRIES,
  DEFAULT_CACHE_MEMORY_TTL_S,
  RouterCache,
} from "./cache/router-cache.js";
export { assistantMessageOf, chatMessagesOf, textOf } from "./chat/normalize.js";
export { estimatePromptTokens } from "./chat/prompt-tokens.js";
export { validateCompletionRequest } from "./chat/validate-completion-request.js";
export { BudgetExceededError } from "./errors/budget-exceeded-error.js";
export { CircuitOpenError } from "./errors/circuit-open-error.js";
export { ContextWindowExceededError } from "./errors/context-window-exceeded-error.js";
export type { FallbackAttempt } from "./errors/fallback-exhausted-error.js";
export { FallbackExhaustedError } from "./errors/fallback-exhausted-error.js";
export { InvalidCacheOptionsError } from "./errors/invalid-cache-options-error.js";
export type { RateLimitExceededErrorOptions } from "./errors/rate-limit-exceeded-error.js";
export { RateLimitExceededError } from "./errors/rate-limit-exceeded-error.js";
export { RateLimitStoreError } from "./errors/rate-limit-store-error.js";
export type { RequestProblem } from "./errors/request-errors.js";
export {
  ContentFilteredError,
  IncompleteResponseError,
  InvalidRequestError,
  UnsupportedFeatureError,
} from "./errors/request-errors.js";
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
export type { ApiErrorOptions } from "./errors/transport-errors.js";
export {
  AbortedError,
  ApiError,
  CacheError,
  isRetryableStatus,
  MAX_ERROR_BODY_CHARS,
  NetworkError,
  ParseError,
  SseError,
  StreamIdleTimeoutError,
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
export type {
  AsyncRateLimiter,
  BatchReservation,
  LimiterSnapshot,
  LimiterWatcher,
  RateLimiter,
  RateLimitStore,
  RateLimits,
  ReserveBatcher,
} from "./limits/spec.js";
export {
  ANTHROPIC_DEFAULT_MAX_TOKENS,
  ANTHROPIC_MESSAGES_PATH,
  AnthropicCompletionModel,
  buildAnthropicBody,
  readAnthropicUsage,
} from "./models/anthropic-completion-model.js";
export type { DummyModelOptions, DummyOutcome } from "./models/dummy-model.js";
export { DummyModel } from "./models/dummy-model.js";
export { GeminiCompletionModel } from "./models/gemini-completion-model.js";
export { GEMINI_MAX_BATCH_EMBED, GeminiEmbeddingModel } from "./models/gemini-embedding-model.js";
export { buildGeminiBody, readGeminiUsage } from "./models/gemini-wire.js";
export type { ImageSource } from "./models/image-source.js";
export { toImageSource } from "./models/image-source.js";
export type { ChatAnswer } from "./models/openai-chat-wire.js";
export {
  buildChatBody,
  mapOpenAIFinishReason,
  readChatAnswer,
} from "./models/openai-chat-wire.js";
export { CHAT_COMPLETIONS_PATH, OpenAICompletionModel } from "./models/openai-completion-model.js";
export { EMBEDDINGS_PATH, OpenAIEmbeddingModel } from "./models/openai-embedding-model.js";
export { OpenAIRerankModel } from "./models/openai-rerank-model.js";
export {
  ReasoningStripper,
  stripReasoning,
  stripReasoningFromResponse,
} from "./models/reasoning.js";
export type { SseEvent } from "./models/sse.js";
export { parseSse } from "./models/sse.js";
export { THINKING_BUDGET_TOKENS } from "./models/thinking-budget.js";
export type {
  DeploymentMetrics,
  GroupMetrics,
  LatencySummary,
  MetricsSnapshot,
} from "./observability/metrics.js";
export { renderPrometheus } from "./observability/prometheus.js";
export { TRACER_NAME } from "./observability/tracing.js";
export type { AnthropicProviderOptions } from "./providers/anthropic-provider.js";
export {
  ANTHROPIC_API_VERSION,
  ANTHROPIC_BASE_URL,
  AnthropicProvider,
} from "./providers/anthropic-provider.js";
export type { ApiKeyOptions } from "./providers/api-key-options.js";
export type { CreateProviderOptions, ProviderType } from "./providers/create-provider.js";
export { createProvider, PROVIDER_TYPES } from "./providers/create-provider.js";
export { DummyProvider } from "./providers/dummy-provider.js";
export type { GeminiProviderOptions } from "./providers/gemini-provider.js";
export { GEMINI_BASE_URL, GeminiProvider } from "./providers/gemini-provider.js";
export type { HttpClientOptions } from "./providers/http-client.js";
export {
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
} from "./providers/http-client.js";
export { closeHttpPools, httpPoolCount } from "./providers/http-pool.js";
export { HttpProvider } from "./providers/http-provider.js";
export type { KeyState } from "./providers/key-pool.js";
export { DEFAULT_KEY_COOLDOWN_MS, keyHint } from "./providers/key-pool.js";
export type { OpenAICompatibleProviderOptions } from "./providers/openai-compatible-provider.js";
export {
  OPENAI_BASE_URL,
  OpenAICompatibleProvider,
} from "./providers/openai-compatible-provider.js";
export type {
  CircuitBreakerOptions,
  CircuitState,
  DeploymentHealth,
} from "./router/circuit-breaker.js";
export type { Budget, CostTotals, Price } from "./router/cost.js";
export { CostLedger, costOf } from "./router/cost.js";
export { FALLBACK_ERROR_CODES, shouldFallback } from "./router/fallbacks.js";
export type { InvokeOptions } from "./router/invoke-options.js";
export type { RetryConfig } from "./router/retry.js";
export { backoffMs, DEFAULT_RETRY_AFTER_MAX_MS } from "./router/retry.js";
export {
  createCompletionRouter,
  createEmbeddingRouter,
  createRerankRouter,
  Router,
} from "./router/router.js";
export type { RouterOptions } from "./router/router-options.js";
export { IN_TRANSIT_GRACE_MS } from "./router/settle.js";
export type { Sleep } from "./router/sleep.js";
export type { RoutingStrategy } from "./router/strategies.js";
export { ROUTING_STRATEGIES } from "./router/strategies.js";
export { clampTimerMs, MAX_TIMER_MS } from "./timers.js";
export { countTokens, countTokensBatch, TOKEN_CACHE_MAX_ENTRIES } from "./tokens/count-tokens.js";
export { bytesToDataUri, sniffMimeType } from "./tokens/data-uri.js";
export type {
  AssistantMessage,
  CallOptions,
  ChatMessage,
  CompletionModel,
  CompletionParameters,
  CompletionRequest,
  CompletionResponse,
  CompletionStreamEvent,
  ContentPart,
  EmbeddingModel,
  EmbeddingRequest,
  EmbeddingResponse,
  FilePart,
  FinishReason,
  FunctionTool,
  ImagePart,
  JsonSchema,
  MessageCompletionRequest,
  MessagesCompletionRequest,
  Model,
  ModelKind,
  ModelKinds,
  Provider,
  Ranking,
  RequestOf,
  RerankModel,
  RerankRequest,
  RerankResponse,
  ResponseFormat,
  ResponseOf,
  StreamEvent,
  StreamingResponse,
  SystemMessage,
  TextPart,
  ToolCall,
  ToolChoice,
  ToolMessage,
  Usage,
  UserMessage,
} from "./types.js";
