export { chunkText, embedText, estimateTokens, lastUserText, relevance } from "./answers.js";
export type { MockBehaviour, RecordedRequest } from "./behaviour.js";
export type { RedisServer } from "./redis-server.js";
export { freePort, startRedisServer } from "./redis-server.js";
export type { MockLlmOptions, MockLlmServer } from "./server.js";
export { startMockLlm } from "./server.js";
