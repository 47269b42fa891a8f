import { validateCompletionRequest } from "../chat/validate-completion-request.js";
import { stripReasoningEvents, stripReasoningFromResponse } from "../models/reasoning.js";
import type { CompletionRequest, ModelKind, RequestOf, ResponseOf } from "../types.js";
import { sendRequest } from "./dispatch.js";
import type { InvokeOptions } from "./invoke-options.js";
import { kindSupport } from "./kind-support.js";
import type { RequestContext } from "./request-context.js";
import { RequestPipeline, type RequestPipelineOptions } from "./request-pipeline.js";
import { type CompletionEventStream, streamFromGroup } from "./stream-path.js";

/** Settings of a {@link RequestPath} besides its context. */
export interface RequestPathOptions<K extends ModelKind> {
  context: RequestContext<K>;
  /** Remove reasoning from completions unless a call says otherwise. */
  stripReasoning: boolean;
  /** The group-level features; the pipeline is built only when one of them is on. */
  pipeline?: Omit<RequestPipelineOptions<K>, "call" | "kind" | "stripReasoning">;
}

/**
 * What happens to a request, in this order:
 *
 * 1. **Validate** (completions): a malformed request fails with `InvalidRequestError` before
 *    anything is reserved or sent.
 * 2. **Group features** (`RequestPipeline`, only when configured): coalescing of identical
 *    requests, budget check, context-window routing, the fallback chain, reasoning stripping.
 * 3. **Cache plan** (`kindSupport().plan`): a stored answer of the right shape is returned and
 *    costs no quota; a malformed entry is a miss.
 * 4. **Acquire** (`DeploymentPicker`): a deployment with room, by the routing strategy; quota
 *    reserved before dispatch, waiting up to `maxWaitMs`.
 * 5. **Dispatch** (`sendRequest`, `streamFromGroup`): the model call under its time limit and
 *    the caller's signal; transient errors retried.
 * 6. **Accept** (`acceptAnswer`, `StreamAssembler`): only a complete answer passes; a filtered
 *    one is a `ContentFilteredError`.
 * 7. **Settle** (`settleReservation`): the reservation reconciled with the reported usage; after
 *    a failure, released only if the request never left the process, else charged.
 * 8. **Cache write** of the accepted answer.
 */
export class RequestPath<K extends ModelKind> {
  readonly #context: RequestContext<K>;
  readonly #stripReasoning: boolean;
  readonly #pipeline: RequestPipeline<K> | undefined;

  constructor({ context, stripReasoning, pipeline }: RequestPathOptions<K>) {
    this.#context = context;
    this.#stripReasoning = stripReasoning;
    if (pipeline) {
      this.#pipeline = new RequestPipeline({
        ...pipeline,
        kind: context.kind,
        stripReasoning,
        call: (group, request, options, readCache) =>
          this.#call(group, request, options, readCache),
      });
    }
  }

  /** `Router.invoke`: the cache read and written unless `noCache`. */
  invoke(group: string, request: RequestOf<K>, options: InvokeOptions): Promise<ResponseOf<K>> {
    const readsCache = this.#context.cache !== undefined && !options.noCache;
    if (this.#pipeline || options.stripReasoning || readsCache) {
      return this.run(group, request, options, true);
    }
    // Without a cache the call goes straight to dispatch: one async layer less per request.
    try {
      this.#validate(request);
      this.#context.deploymentsOf(group);
      return sendRequest(this.#context, group, request, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends a request through every step; `readCache` false skips the read but still writes. */
  run(
    group: string,
    request: RequestOf<K>,
    options: InvokeOptions,
    readCache: boolean,
  ): Promise<ResponseOf<K>> {
    try {
      this.#validate(request);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#pipeline) return this.#pipeline.run(group, request, options, readCache);
    const pending = this.#call(group, request, options, readCache);
    return options.stripReasoning
      ? pending.then((response) => stripReasoningFromResponse(response))
      : pending;
  }

  /**
   * Streams a completion's events through every step. The request is validated now, before the
   * generator is returned.
   * @throws {InvalidRequestError} at once for a malformed request
   */
  streamEvents(
    this: RequestPath<"completion">,
    group: string,
    request: CompletionRequest,
    options: InvokeOptions,
  ): CompletionEventStream {
    validateCompletionRequest(request);
    const context = this.#context;
    const events = this.#pipeline
      ? this.#pipeline.stream(group, request, (target) =>
          streamFromGroup(context, target, request, options),
        )
      : streamFromGroup(context, group, request, options);
    return (options.stripReasoning ?? this.#stripReasoning) ? stripReasoningEvents(events) : events;
  }

  // One group's cache lookup and dispatch: the unit the fallback chain repeats per group.
  async #call(
    group: string,
    request: RequestOf<K>,
    options: InvokeOptions,
    readCache: boolean,
  ): Promise<ResponseOf<K>> {
    const context = this.#context;
    context.deploymentsOf(group);
    const cache = options.noCache ? undefined : context.cache;
    if (!cache) return sendRequest(context, group, request, options);
    const plan = await kindSupport(context.kind).plan(cache, group, request, readCache);
    context.observer()?.cacheLookup(group, plan.hit !== undefined);
    if (plan.hit) {
      context.logger.trace(() => `Cache hit in group "${group}"`);
      return plan.hit;
    }
    const fresh = await sendRequest(context, group, plan.request, options);
    await cache.setMany(plan.entries(fresh));
    return plan.finish(fresh);
  }

  #validate(request: RequestOf<K>): void {
    if (this.#context.kind === "completion")
      validateCompletionRequest(request as CompletionRequest);
  }
}
