import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { CompletionResponse, CompletionStreamEvent } from "@fabricatio/thryd";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ChatChunkWriter } from "../chat/chat-chunks.js";
import { toChatCompletion } from "../chat/chat-completion.js";
import { parseChatRequest } from "../chat/parse-chat-request.js";
import type { KeyLease } from "../keys/key-lease.js";
import { type AccessRecord, logAccess } from "../server/access-log.js";
import type { GatewayContext } from "../server/gateway-context.js";
import type { RequestScope } from "../server/request-scope.js";
import { CLIENT_CLOSED_STATUS, toOpenAIError } from "../server/to-openai-error.js";
import { answerError, requireGroup, tokenOf } from "./request-helpers.js";

const ROUTE = "/v1/chat/completions";

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
  // Proxies such as nginx would otherwise hold the chunks back.
  "x-accel-buffering": "no",
};

/** `POST /v1/chat/completions`: a JSON answer, or an SSE stream with `stream: true`. */
export async function chatCompletions(
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
    const parsed = parseChatRequest(request.body);
    record.group = parsed.group;
    record.stream = parsed.stream;
    if (context.logPrompts) record.prompt = parsed.request.messages;
    const router = context.routers.completion;
    requireGroup(router, key, parsed.group);
    scope = context.scopes.open(reply.raw, context.requestTimeoutMs);
    lease = await context.keys.lease(key, {
      now: context.now,
      maxWaitMs: context.maxWaitMs,
      signal: scope.signal,
    });
    const options = { signal: scope.signal, maxWaitMs: context.maxWaitMs };
    if (parsed.stream) {
      const events = router.streamEvents(parsed.group, parsed.request, options);
      // The first event decides between a JSON error (nothing sent yet) and a 200 stream.
      const first = await events.next();
      const meta = {
        id: `chatcmpl-${randomUUID()}`,
        created: Math.floor(Date.now() / 1000),
        model: parsed.group,
        includeUsage: parsed.includeUsage,
      };
      reply.hijack();
      const owned = { scope, lease };
      scope = undefined;
      lease = undefined;
      await pipeStream(context, reply.raw, events, first, meta, owned, record);
      return reply;
    }
    const response = await router.invoke(parsed.group, parsed.request, options);
    record.usage = response.usage;
    await settle(context, lease, { answered: true, costUsd: response.usage.cost });
    lease = undefined;
    const body = toChatCompletion(response, {
      id: `chatcmpl-${randomUUID()}`,
      created: Math.floor(Date.now() / 1000),
      model: parsed.group,
    });
    logAccess(context, { ...record, status: 200 });
    return reply.send(body);
  } catch (error) {
    if (lease) await settle(context, lease, { answered: false });
    return answerError(context, reply, error, record, scope);
  } finally {
    scope?.end();
  }
}

async function settle(
  context: GatewayContext,
  lease: KeyLease,
  outcome: { answered: boolean; costUsd?: number },
): Promise<void> {
  const failure = await lease.settle(outcome);
  if (failure) {
    context.logger.warn(
      `Settling a key's RPM slot or budget failed: ${(failure as Error)?.message ?? failure}`,
    );
  }
}

/** Resolves when `response` can take more data, or has gone. */
function drained(response: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    response.once("drain", done);
    signal.addEventListener("abort", done, { once: true });
  });
}

async function pipeStream(
  context: GatewayContext,
  response: ServerResponse,
  events: AsyncGenerator<CompletionStreamEvent, CompletionResponse, undefined>,
  first: IteratorResult<CompletionStreamEvent, CompletionResponse>,
  meta: ConstructorParameters<typeof ChatChunkWriter>[0],
  { scope, lease }: { scope: RequestScope; lease: KeyLease },
  record: Omit<AccessRecord, "status">,
): Promise<void> {
  const writer = new ChatChunkWriter(meta);
  let finished = false;
  let status = 200;
  let errorCode: string | undefined;
  response.writeHead(200, SSE_HEADERS);
  try {
    let text = writer.start();
    for (let next = first; !next.done; next = await events.next()) {
      text += writer.event(next.value);
      if (next.value.type === "finish") record.usage = next.value.usage;
      if (!response.write(text)) await drained(response, scope.signal);
      text = "";
      if (scope.signal.aborted) break;
    }
    if (!scope.signal.aborted) {
      response.end(writer.done());
      finished = true;
    }
  } catch (error) {
    errorCode = (error as { code?: string })?.code ?? "Error";
    // Headers are out: the error travels as an SSE frame, as OpenAI sends one, without [DONE].
    const answer = toOpenAIError(scope.cause ? scope.reason : error, context.now());
    status = scope.cause === "client" ? CLIENT_CLOSED_STATUS : answer.status;
    if (!response.destroyed) response.end(writer.error(answer.body));
  } finally {
    // A stream left early (client gone, shutdown) is stopped, which cancels the upstream call.
    if (!finished) await events.return(undefined as never).catch(() => undefined);
    if (!finished && scope.cause === "client") status = CLIENT_CLOSED_STATUS;
    else if (!finished && scope.cause && status === 200)
      status = scope.cause === "timeout" ? 504 : 503;
    if (!finished && !response.writableEnded && !response.destroyed) response.end();
    await settle(context, lease, {
      answered: record.usage !== undefined,
      costUsd: record.usage?.cost,
    });
    scope.end();
    logAccess(context, { ...record, status, ...(errorCode ? { error: errorCode } : {}) });
  }
}
