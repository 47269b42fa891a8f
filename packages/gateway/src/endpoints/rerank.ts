import { randomUUID } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { GatewayRequestError } from "../errors/request-errors.js";
import type { KeyLease } from "../keys/key-lease.js";
import { type AccessRecord, logAccess } from "../server/access-log.js";
import type { GatewayContext } from "../server/gateway-context.js";
import type { RequestScope } from "../server/request-scope.js";
import { answerError, requireGroup, tokenOf } from "./request-helpers.js";

const ROUTE = "/v1/rerank";
const KNOWN = new Set(["model", "query", "documents", "top_n", "return_documents"]);

interface ParsedRerankRequest {
  group: string;
  query: string;
  documents: string[];
  topN: number | undefined;
  returnDocuments: boolean;
}

/**
 * Reads a rerank body in the shape Cohere, Jina and Voyage share: `query`, `documents` (strings
 * or `{ text }` objects), optional `top_n` and `return_documents`.
 * @throws {GatewayRequestError} naming the field
 */
export function parseRerankRequest(body: unknown): ParsedRerankRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new GatewayRequestError(undefined, "the body must be a JSON object");
  }
  const json = body as Record<string, unknown>;
  for (const field in json) {
    if (!KNOWN.has(field)) {
      throw new GatewayRequestError(field, "Unrecognized request argument supplied");
    }
  }
  if (typeof json.model !== "string" || json.model.length === 0) {
    throw new GatewayRequestError("model", "must name a routing group (a non-empty string)");
  }
  if (typeof json.query !== "string" || json.query.length === 0) {
    throw new GatewayRequestError("query", "must be a non-empty string");
  }
  if (!Array.isArray(json.documents) || json.documents.length === 0) {
    throw new GatewayRequestError("documents", "must be a non-empty array");
  }
  const documents = json.documents.map((document: unknown, index) => {
    if (typeof document === "string") return document;
    const text = (document as { text?: unknown } | null)?.text;
    if (typeof text === "string") return text;
    throw new GatewayRequestError(`documents[${index}]`, "must be a string or { text: string }");
  });
  const topN = json.top_n ?? undefined;
  if (topN !== undefined && (!Number.isInteger(topN) || (topN as number) < 1)) {
    throw new GatewayRequestError("top_n", "must be a positive integer");
  }
  const returnDocuments = json.return_documents ?? false;
  if (typeof returnDocuments !== "boolean") {
    throw new GatewayRequestError("return_documents", "must be a boolean");
  }
  return {
    group: json.model,
    query: json.query,
    documents,
    topN: topN as number | undefined,
    returnDocuments,
  };
}

/** `POST /v1/rerank`: results best first, `top_n` of them when given. */
export async function rerank(
  context: GatewayContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const record: Omit<AccessRecord, "status"> = {
    method: "POST",
    route: ROUTE,
    startedAtMs: context.now(),
  };
  let scope: RequestScope | undefined;
  let lease: KeyLease | undefined;
  try {
    const key = context.keys.authenticate(tokenOf(request.headers));
    record.key = key.name;
    const parsed = parseRerankRequest(request.body);
    record.group = parsed.group;
    if (context.logPrompts) record.prompt = parsed.query;
    const router = context.routers.rerank;
    requireGroup(router, key, parsed.group);
    scope = context.scopes.open(reply.raw, context.requestTimeoutMs);
    lease = await context.keys.lease(key, {
      now: context.now,
      maxWaitMs: context.maxWaitMs,
      signal: scope.signal,
    });
    const response = await router.invoke(
      parsed.group,
      { query: parsed.query, documents: parsed.documents },
      { signal: scope.signal, maxWaitMs: context.maxWaitMs },
    );
    record.usage = response.usage;
    const settled = lease;
    lease = undefined;
    const failure = await settled.settle({ answered: true, costUsd: response.usage.cost });
    if (failure) context.logger.warn(`Settling a key's slot failed: ${(failure as Error).message}`);
    const rankings = parsed.topN ? response.rankings.slice(0, parsed.topN) : response.rankings;
    logAccess(context, { ...record, status: 200 });
    return reply.send({
      id: `rerank-${randomUUID()}`,
      model: parsed.group,
      results: rankings.map(([index, score]) => ({
        index,
        relevance_score: score,
        ...(parsed.returnDocuments ? { document: { text: parsed.documents[index] } } : {}),
      })),
      usage: { total_tokens: response.usage.total_tokens },
    });
  } catch (error) {
    await lease?.settle({ answered: false });
    return answerError(context, reply, error, record, scope);
  } finally {
    scope?.end();
  }
}
