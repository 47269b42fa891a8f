import { hash } from "node:crypto";
import { chatMessagesOf } from "../chat/normalize.js";
import type { CompletionRequest, RerankRequest } from "../types.js";

function digest(parts: readonly unknown[]): string {
  // One-shot `hash` skips the Hash object `createHash` builds: a third of a cache hit's cost.
  return hash("sha256", JSON.stringify(parts), "hex");
}

/**
 * Cache key of a completion: the group and every field that changes the answer, the whole
 * conversation in order with its roles, tools and output format included. The shorthand
 * `message` and the same single user message in `messages` share a key: the wire is the same.
 * The original hashed only the message, so two groups or two temperatures shared one entry.
 */
export function completionCacheKey(group: string, request: CompletionRequest): string {
  return `cmp:${digest([
    group,
    chatMessagesOf(request),
    request.temperature ?? null,
    request.top_p ?? null,
    request.max_completion_tokens ?? null,
    request.presence_penalty ?? null,
    request.frequency_penalty ?? null,
    request.effort ?? null,
    request.tools ?? null,
    request.tool_choice ?? null,
    request.parallel_tool_calls ?? null,
    request.response_format ?? null,
    request.stop ?? null,
    request.seed ?? null,
    request.user ?? null,
  ])}`;
}

/** Cache key of one text's embedding: `emb:<ndim>:<hash of group and text>`. */
export function embeddingCacheKey(group: string, ndim: number, text: string): string {
  return `emb:${ndim}:${digest([group, text])}`;
}

/**
 * Cache key of a rerank: the group, the query and the documents in their order. The original
 * sorted the documents, so cached indices pointed at the wrong documents once the order changed.
 */
export function rerankCacheKey(group: string, request: RerankRequest): string {
  return `rrk:${digest([group, request.query, request.documents])}`;
}
