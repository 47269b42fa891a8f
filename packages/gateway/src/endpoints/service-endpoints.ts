import { renderPrometheus } from "@fabricatio/thryd";
import type { FastifyReply, FastifyRequest } from "fastify";
import { logAccess } from "../server/access-log.js";
import type { GatewayContext } from "../server/gateway-context.js";
import { answerError, tokenOf } from "./request-helpers.js";

/** `GET /v1/models`: every routing group the caller's key may call, as OpenAI model objects. */
export function listModels(
  context: GatewayContext,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const record = { method: "GET", route: "/v1/models", startedAtMs: context.now() };
  try {
    const key = context.keys.authenticate(tokenOf(request.headers));
    const { completion, embedding, rerank } = context.routers;
    const groups = new Set([
      ...completion.groupNames(),
      ...embedding.groupNames(),
      ...rerank.groupNames(),
    ]);
    const data = [...groups]
      .filter((group) => !key.groups || key.groups.has(group))
      .map((group) => ({ id: group, object: "model", created: 0, owned_by: "fabricatio" }));
    logAccess(context, { ...record, key: key.name, status: 200 });
    return reply.send({ object: "list", data });
  } catch (error) {
    return answerError(context, reply, error, record);
  }
}

/** `GET /metrics`: the routers' metrics and the gateway's counters, Prometheus text 0.0.4. */
export function metrics(
  context: GatewayContext,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const record = { method: "GET", route: "/metrics", startedAtMs: context.now() };
  try {
    const key = context.keys.authenticate(tokenOf(request.headers));
    const { completion, embedding, rerank } = context.routers;
    const snapshots = [completion.metrics(), embedding.metrics(), rerank.metrics()];
    const text = renderPrometheus({
      deployments: snapshots.flatMap((snapshot) => snapshot.deployments),
      groups: snapshots.flatMap((snapshot) => snapshot.groups),
    });
    logAccess(context, { ...record, key: key.name, status: 200 });
    return reply
      .header("content-type", "text/plain; version=0.0.4; charset=utf-8")
      .send(text + context.counters.render(context.scopes.size));
  } catch (error) {
    return answerError(context, reply, error, record);
  }
}

/** `GET /health`: liveness; answers while the process can answer at all. */
export function health(_context: GatewayContext, _request: FastifyRequest, reply: FastifyReply) {
  return reply.send({ status: "ok" });
}

/**
 * `GET /health/ready`: 200 while the gateway takes requests and every routing group has a
 * deployment whose circuit is not open; 503 during shutdown, with no deployment at all, or
 * with a group all of whose deployments are cooling down. The body lists each deployment's
 * circuit state.
 */
export function ready(context: GatewayContext, _request: FastifyRequest, reply: FastifyReply) {
  const { completion, embedding, rerank } = context.routers;
  const deployments = [
    ...completion.health().map((entry) => ({ kind: "completion", ...entry })),
    ...embedding.health().map((entry) => ({ kind: "embedding", ...entry })),
    ...rerank.health().map((entry) => ({ kind: "rerank", ...entry })),
  ];
  const groups = new Map<string, boolean>();
  for (const entry of deployments) {
    const id = `${entry.kind}:${entry.group}`;
    groups.set(id, (groups.get(id) ?? false) || entry.state !== "open");
  }
  const unavailable = [...groups].filter(([, up]) => !up).map(([id]) => id);
  const shuttingDown = context.isShuttingDown();
  const isReady = !shuttingDown && deployments.length > 0 && unavailable.length === 0;
  return reply.code(isReady ? 200 : 503).send({
    status: isReady ? "ready" : "unavailable",
    ...(shuttingDown ? { reason: "shutting down" } : {}),
    ...(deployments.length === 0 ? { reason: "no deployments configured" } : {}),
    unavailableGroups: unavailable,
    deployments,
  });
}
