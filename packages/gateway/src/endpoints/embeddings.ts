import type { FastifyReply, FastifyRequest } from "fastify";
import { GatewayRequestError } from "../errors/request-errors.js";
import type { KeyLease } from "../keys/key-lease.js";
import { type AccessRecord, logAccess } from "../server/access-log.js";
import type { GatewayContext } from "../server/gateway-context.js";
import type { RequestScope } from "../server/request-scope.js";
import { answerError, requireGroup, tokenOf } from "./request-helpers.js";

const ROUTE = "/v1/embeddings";
const KNOWN = new Set(["model", "input", "dimensions", "encoding_format", "user"]);

type Json = Record<string, unknown>;

interface ParsedEmbeddingRequest {
  group: string;
  texts: string[];
  dimensions: number;
  base64: boolean;
}

/**
 * Reads an OpenAI embeddings body: `input` a string or an array of strings (token arrays are
 * refused), `dimensions` (else `[embedding] ndim`), `encoding_format` `float` or `base64` (the
 * `openai` SDK asks for base64 by default and decodes it).
 * @throws {GatewayRequestError} naming the field
 */
export function parseEmbeddingRequest(
  body: unknown,
  defaultDimensions: number | undefined,
): ParsedEmbeddingRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new GatewayRequestError(undefined, "the body must be a JSON object");
  }
  const json = body as Json;
  for (const field in json) {
    if (!KNOWN.has(field)) {
      throw new GatewayRequestError(field, "Unrecognized request argument supplied");
    }
  }
  const group = json.model;
  if (typeof group !== "string" || group.length === 0) {
    throw new GatewayRequestError("model", "must name a routing group (a non-empty string)");
  }
  const input = json.input;
  const texts = typeof input === "string" ? [input] : input;
  if (!Array.isArray(texts) || texts.length === 0) {
    throw new GatewayRequestError("input", "must be a string or a non-empty array of strings");
  }
  texts.forEach((text, index) => {
    if (typeof text !== "string") {
      throw new GatewayRequestError(
        `input[${index}]`,
        "must be a string (token arrays are not supported)",
      );
    }
  });
  const dimensions = json.dimensions ?? defaultDimensions;
  if (dimensions === undefined || dimensions === null) {
    throw new GatewayRequestError(
      "dimensions",
      "is required: the router sends it to every provider (or set [embedding] ndim for a default)",
    );
  }
  if (!Number.isInteger(dimensions) || (dimensions as number) < 1) {
    throw new GatewayRequestError("dimensions", "must be a positive integer");
  }
  const format = json.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") {
    throw new GatewayRequestError("encoding_format", 'must be "float" or "base64"');
  }
  if (json.user !== undefined && typeof json.user !== "string") {
    throw new GatewayRequestError("user", "must be a string");
  }
  return {
    group,
    texts: texts as string[],
    dimensions: dimensions as number,
    base64: format === "base64",
  };
}

/** A vector as OpenAI's base64 encoding: little-endian float32. */
function toBase64(vector: readonly number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}

/** `POST /v1/embeddings`. */
export async function embeddings(
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
    const parsed = parseEmbeddingRequest(request.body, context.embeddingDimensions);
    record.group = parsed.group;
    if (context.logPrompts) record.prompt = parsed.texts;
    const router = context.routers.embedding;
    requireGroup(router, key, parsed.group);
    scope = context.scopes.open(reply.raw, context.requestTimeoutMs);
    lease = await context.keys.lease(key, {
      now: context.now,
      maxWaitMs: context.maxWaitMs,
      signal: scope.signal,
    });
    const response = await router.invoke(
      parsed.group,
      { texts: parsed.texts, ndim: parsed.dimensions, maxBatchEmbSize: context.maxBatchEmbSize },
      { signal: scope.signal, maxWaitMs: context.maxWaitMs },
    );
    record.usage = response.usage;
    const settled = lease;
    lease = undefined;
    const failure = await settled.settle({ answered: true, costUsd: response.usage.cost });
    if (failure) context.logger.warn(`Settling a key's slot failed: ${(failure as Error).message}`);
    logAccess(context, { ...record, status: 200 });
    return reply.send({
      object: "list",
      model: parsed.group,
      data: response.embeddings.map((vector, index) => ({
        object: "embedding",
        index,
        embedding: parsed.base64 ? toBase64(vector) : vector,
      })),
      usage: {
        prompt_tokens: response.usage.prompt_tokens,
        total_tokens: response.usage.total_tokens,
      },
    });
  } catch (error) {
    await lease?.settle({ answered: false });
    return answerError(context, reply, error, record, scope);
  } finally {
    scope?.end();
  }
}
