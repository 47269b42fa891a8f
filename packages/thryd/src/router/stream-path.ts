import { DEFAULT_RETRY_POLICY } from "@fabricatio/constants";
import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import { isTransientError } from "../errors/thryd-error.js";
import { AbortedError } from "../errors/transport-errors.js";
import type {
  CompletionRequest,
  CompletionResponse,
  CompletionStreamEvent,
  StreamEvent,
  Usage,
} from "../types.js";
import { acceptAnswer } from "./accept-answer.js";
import { startAttempt } from "./attempt.js";
import { estimateTokensFor } from "./dispatch.js";
import type { InvokeOptions } from "./invoke-options.js";
import { kindSupport } from "./kind-support.js";
import { attemptLimits, modelCallOptions } from "./model-call-options.js";
import type { RequestContext } from "./request-context.js";
import { backoffMs, refuseLongRetryAfter } from "./retry.js";
import { type Acquired, settleReservation } from "./settle.js";
import { replayEvents, StreamAssembler } from "./stream-assembler.js";

/** The events of a streamed completion; the return value is the whole answer. */
export type CompletionEventStream = AsyncGenerator<
  CompletionStreamEvent,
  CompletionResponse,
  undefined
>;

/**
 * Streams a completion from one group: a valid cache entry is replayed as events; otherwise a
 * deployment is picked and its stream passed on event by event. The answer is cached, then the
 * `finish` event carries it, so a consumer that stops at `finish` loses nothing. A transient
 * failure is retried (when the router retries) only while no event has been yielded: text the
 * consumer already has cannot be taken back.
 */
export async function* streamFromGroup(
  context: RequestContext<"completion">,
  group: string,
  request: CompletionRequest,
  options: InvokeOptions,
): CompletionEventStream {
  context.deploymentsOf(group);
  const cache = options.noCache ? undefined : context.cache;
  const plan = cache
    ? await kindSupport("completion").plan(cache, group, request, true)
    : undefined;
  if (plan) context.observer()?.cacheLookup(group, plan.hit !== undefined);
  if (plan?.hit) {
    yield* replayEvents(plan.hit);
    return plan.hit;
  }
  const tokens = estimateTokensFor(context, group, request);
  const deadline = context.now() + (options.maxWaitMs ?? Number.POSITIVE_INFINITY);
  for (let retries = 0; ; retries++) {
    let yielded = false;
    try {
      const acquired = await context.picker.acquire(group, tokens, deadline, options.signal);
      const response = yield* streamAttempt(context, acquired, request, options, () => {
        yielded = true;
      });
      if (cache && plan) await cache.setMany(plan.entries(response));
      yielded = true;
      yield {
        type: "finish",
        finish_reason: response.finish_reason,
        usage: response.usage,
        response,
      };
      return response;
    } catch (error) {
      const retry = context.retry();
      if (
        yielded ||
        !retry ||
        retries >= (retry.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries) ||
        !isTransientError(error) ||
        error instanceof RateLimitExceededError
      ) {
        throw error;
      }
      refuseLongRetryAfter(error, context.retryAfterMaxMs, group);
      await context.sleep(backoffMs(retry, retries + 1, error, context.random), options.signal);
    }
  }
}

/**
 * One streamed call to one deployment: yields text and tool-call events as they come and
 * returns the whole answer once the model sent its `finish`. A model without `stream` is
 * invoked and its answer replayed. Whatever happens, the reservation is settled once: with the
 * usage after a whole answer; charged after a failure or an early stop once the request was
 * sent (the provider has seen it), released only when it never left the process.
 */
async function* streamAttempt(
  context: RequestContext<"completion">,
  acquired: Acquired<"completion">,
  request: CompletionRequest,
  options: InvokeOptions,
  onYield: () => void,
): AsyncGenerator<CompletionStreamEvent, CompletionResponse, undefined> {
  const { deployment } = acquired;
  const what = `model "${deployment.id}"`;
  // Streams always get a controller, so a consumer that stops early can cancel the HTTP call.
  const limits = attemptLimits(options, acquired, context);
  const attempt = startAttempt({
    action: "Stream from",
    deploymentId: deployment.id,
    signal: options.signal,
    timeoutMs: limits.timeoutMs,
    force: true,
  });
  const callOptions = modelCallOptions(acquired, attempt.signal, limits);
  const observation = context.observer()?.start(deployment, request);
  deployment.inFlight++;
  let usage: Usage | undefined;
  let error: unknown;
  let events: AsyncIterator<StreamEvent> | undefined;
  try {
    const model = deployment.model;
    if (!model.stream) {
      const response = acceptAnswer(
        "completion",
        await Promise.race([model.invoke(request, callOptions), attempt.cancelled]),
        what,
      );
      usage = response.usage;
      for (const event of replayEvents(response)) {
        if (event.type === "finish") break;
        onYield();
        yield event;
      }
      return response;
    }
    events = model.stream(request, callOptions)[Symbol.asyncIterator]();
    const assembler = new StreamAssembler(what);
    for (;;) {
      const next = await Promise.race([events.next(), attempt.cancelled]);
      if (next.done) break;
      const event = assembler.push(next.value);
      if (event) {
        onYield();
        yield event;
      }
    }
    const response = assembler.response(request);
    usage = response.usage;
    return response;
  } catch (caught) {
    error = attempt.failure(caught);
    throw error;
  } finally {
    deployment.inFlight--;
    attempt.end();
    if (!usage) {
      // Stopped early, or failed on our side of the stream: cancel the HTTP call. The
      // reservation stays counted once the request was sent (see `releasesQuota`).
      attempt.abort();
      void events?.return?.()?.catch(() => {});
    }
    settleReservation(acquired, error, usage, context.now, context.logger);
    if (usage) observation?.succeeded(usage);
    else observation?.failed(error ?? new AbortedError(`Stream from "${deployment.id}"`));
  }
}
