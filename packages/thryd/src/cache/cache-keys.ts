import { hash } from "node:crypto";
import { chatMessagesOf } from "../chat/normalize.js";
import type { CompletionRequest, RerankRequest } from "../types.js";

// JSON with object keys in sorted order, so two requests that differ only in how their objects
// were written (`{ role, content }` or `{ content, role }`) share a key. Arrays keep their order:
// message, part and tool order change the answer. `undefined` members are left out, as in JSON.
function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return JSON.stringify(value) ?? "null";
  // Plain loops and string concatenation: this runs on every cached request.
  if (Array.isArray(value)) {
    let json = "[";
    for (let index = 0; index < value.length; index++) {
      if (index > 0) json += ",";
      json += value[index] === undefined ? "null" : canonicalJson(value[index]);
    }
    return `${json}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let json = "{";
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (json.length > 1) json += ",";
    json += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${json}}`;
}

function digest(parts: readonly unknown[]): string {
  // One-shot `hash` skips the Hash object `createHash` builds: a third of a cache hit's cost.
  return hash("sha256", canonicalJson(parts), "hex");
}

/**
 * Cache key of a completion: the group and every field that changes the answer, the whole
 * conversation in order with its roles, tools and output format included. The shorthand
 * `message` and the same single user message in `messages` share a key: the wire is the same.
 * Object keys are hashed in sorted order, so the order they were written in does not matter.
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
