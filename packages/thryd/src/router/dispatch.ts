import { RateLimitExceededError } from "../errors/rate-limit-exceeded-error.js";
import type { ModelKind, RequestOf, ResponseOf } from "../types.js";
import { acceptAnswer } from "./accept-answer.js";
import { startAttempt } from "./attempt.js";
import type { InvokeOptions } from "./invoke-options.js";
import { kindSupport } from "./kind-support.js";
import { attemptLimits, modelCallOptions } from "./model-call-options.js";
import type { RequestContext } from "./request-context.js";
import { refuseLongRetryAfter, retryOnTransient } from "./retry.js";
import { type Acquired, settleReservation } from "./settle.js";

/** The request's token estimate, or 0 when no deployment of the group limits or checks it. */
export function estimateTokensFor<K extends ModelKind>(
  context: RequestContext<K>,
  group: string,
  request: RequestOf<K>,
): number {
  for (const deployment of context.deploymentsOf(group)) {
    if (deployment.needsTokenEstimate) return kindSupport(context.kind).estimateTokens(request);
  }
  return 0;
}

/**
 * Sends `request` to one deployment of `group`: reserves quota (waiting up to `maxWaitMs`),
 * calls the model, accepts only a complete answer, settles the reservation; retries transient
 * errors with a fresh pick each time when the router retries, but never sleeps for a
 * `Retry-After` beyond `retryAfterMaxMs`.
 * @throws {RateLimitExceededError} (no room within `maxWaitMs`, or a `Retry-After` beyond the
 * cap), {TimeoutError}, {AbortedError}, the model's errors
 */
export function sendRequest<K extends ModelKind>(
  context: RequestContext<K>,
  group: string,
  request: RequestOf<K>,
  options: InvokeOptions,
): Promise<ResponseOf<K>> {
  const tokens = estimateTokensFor(context, group, request);
  const deadline = context.now() + (options.maxWaitMs ?? Number.POSITIVE_INFINITY);
  const { picker } = context;
  const attempt = () => {
    // The common case (room now) stays synchronous up to the HTTP call.
    const acquired = picker.tryAcquire(group, tokens, deadline, options.signal);
    return typeof acquired === "number"
      ? picker
          .acquire(group, tokens, deadline, options.signal, acquired)
          .then((ready) => dispatch(context, ready, request, options))
      : dispatch(context, acquired, request, options);
  };
  const retry = context.retry();
  if (!retry) return attempt();
  return retryOnTransient(retry, attempt, {
    sleep: context.sleep,
    random: context.random,
    signal: options.signal,
    // Our own limiter already waited as long as the caller allowed (`maxWaitMs`).
    shouldRetry: (error) => !(error instanceof RateLimitExceededError),
    beforeWait: (error) => refuseLongRetryAfter(error, context.retryAfterMaxMs, group),
  });
}

async function dispatch<K extends ModelKind>(
  context: RequestContext<K>,
  acquired: Acquired<K>,
  request: RequestOf<K>,
  options: InvokeOptions,
): Promise<ResponseOf<K>> {
  const { deployment } = acquired;
  const limits = attemptLimits(options, acquired, context);
  const attempt = startAttempt({
    action: "Request to",
    deploymentId: deployment.id,
    signal: options.signal,
    timeoutMs: limits.timeoutMs,
  });
  const callOptions = modelCallOptions(acquired, attempt?.signal, limits);
  const observation = context.observer()?.start(deployment, request);
  deployment.inFlight++;
  try {
    const response = attempt
      ? await Promise.race([deployment.model.invoke(request, callOptions), attempt.cancelled])
      : await deployment.model.invoke(request, callOptions);
    acceptAnswer(context.kind, response, `model "${deployment.id}"`);
    settleReservation(acquired, undefined, response.usage, context.now, context.logger);
    observation?.succeeded(response.usage);
    return response;
  } catch (error) {
    const failure = attempt ? attempt.failure(error) : error;
    settleReservation(acquired, failure, undefined, context.now, context.logger);
    observation?.failed(failure);
    throw failure;
  } finally {
    deployment.inFlight--;
    attempt?.end();
  }
}
