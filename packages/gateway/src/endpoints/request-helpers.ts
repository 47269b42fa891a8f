import type { IncomingHttpHeaders } from "node:http";
import type { ModelKind, Router } from "@fabricatio/thryd";
import type { FastifyReply } from "fastify";
import { ModelNotFoundError } from "../errors/request-errors.js";
import type { GatewayKey } from "../keys/types.js";
import { type AccessRecord, logAccess } from "../server/access-log.js";
import type { GatewayContext } from "../server/gateway-context.js";
import type { RequestScope } from "../server/request-scope.js";
import { CLIENT_CLOSED_STATUS, toOpenAIError } from "../server/to-openai-error.js";

const BEARER = /^Bearer\s+(.+)$/i;

/** The key a request presents: `Authorization: Bearer <key>`, else `x-api-key`. */
export function tokenOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization) return BEARER.exec(authorization)?.[1]?.trim();
  const apiKey = headers["x-api-key"];
  return typeof apiKey === "string" ? apiKey : undefined;
}

/**
 * Checks that `group` is a group of the router's kind that `key` may call.
 * @throws {ModelNotFoundError} for an unknown group or one the key may not call, alike
 */
export function requireGroup<K extends ModelKind>(
  router: Router<K>,
  key: GatewayKey,
  group: string,
): void {
  if (key.groups && !key.groups.has(group)) throw new ModelNotFoundError(group, router.kind);
  try {
    router.getGroup(group);
  } catch {
    throw new ModelNotFoundError(group, router.kind);
  }
}

/**
 * Answers a failed request in OpenAI's error shape (nothing is sent to a client that has gone)
 * and writes its access log line.
 */
export function answerError(
  context: GatewayContext,
  reply: FastifyReply,
  error: unknown,
  record: Omit<AccessRecord, "status">,
  scope?: RequestScope,
): FastifyReply {
  // After an abort, the router's error (AbortedError) only echoes why the scope was aborted.
  const answer = toOpenAIError(scope?.cause ? scope.reason : error, context.now());
  const status = scope?.cause === "client" ? CLIENT_CLOSED_STATUS : answer.status;
  logAccess(context, { ...record, status, error: errorCode(error) });
  if (status === CLIENT_CLOSED_STATUS) return reply.hijack();
  return reply.code(status).headers(answer.headers).send(answer.body);
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : error instanceof Error ? error.name : "Error";
}
