import type { ServerResponse } from "node:http";
import { GatewayShutdownError, GatewayTimeoutError } from "../errors/lifecycle-errors.js";

/** Why a request's scope was aborted. */
export type AbortCause = "client" | "timeout" | "shutdown";

/**
 * The cancellation of one request: aborted when its client goes away (the upstream call is
 * cancelled and its reservation released), when it outlives the request timeout (504), or when
 * shutdown's deadline passes.
 */
export class RequestScope {
  readonly #controller = new AbortController();
  readonly #scopes: RequestScopes;
  readonly #timer: NodeJS.Timeout;
  readonly #response: ServerResponse;
  readonly #onClose: () => void;
  #cause: AbortCause | undefined;
  #reason: unknown;

  constructor(scopes: RequestScopes, response: ServerResponse, timeoutMs: number) {
    this.#scopes = scopes;
    this.#response = response;
    this.#timer = setTimeout(
      () => this.abort("timeout", new GatewayTimeoutError(timeoutMs)),
      timeoutMs,
    );
    this.#onClose = () => {
      if (!response.writableFinished)
        this.abort("client", new Error("The client closed the connection"));
    };
    response.once("close", this.#onClose);
  }

  /** The signal handed to the router. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why it was aborted, if it was. */
  get cause(): AbortCause | undefined {
    return this.#cause;
  }

  /**
   * The error it was aborted with (`GatewayTimeoutError`, `GatewayShutdownError`, or the
   * client's close): whatever the router throws after an abort is a consequence of it.
   */
  get reason(): unknown {
    return this.#reason;
  }

  /** Aborts the request with `reason`. */
  abort(cause: AbortCause, reason: unknown): void {
    if (this.#cause) return;
    this.#cause = cause;
    this.#reason = reason;
    this.#controller.abort(reason);
  }

  /** Ends the scope: stops the timer and forgets the request. */
  end(): void {
    clearTimeout(this.#timer);
    this.#response.off("close", this.#onClose);
    this.#scopes.delete(this);
  }
}

/** Every request in progress, so that shutdown can wait for them and abort the stragglers. */
export class RequestScopes {
  readonly #scopes = new Set<RequestScope>();
  #onIdle: (() => void) | undefined;

  /** Requests and streams in progress. */
  get size(): number {
    return this.#scopes.size;
  }

  /** Opens the scope of a request answered through `response`. */
  open(response: ServerResponse, timeoutMs: number): RequestScope {
    const scope = new RequestScope(this, response, timeoutMs);
    this.#scopes.add(scope);
    return scope;
  }

  /** Forgets a scope (its `end` calls it). */
  delete(scope: RequestScope): void {
    this.#scopes.delete(scope);
    if (this.#scopes.size === 0) this.#onIdle?.();
  }

  /** Resolves once no request is in progress. */
  idle(): Promise<void> {
    if (this.#scopes.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.#onIdle;
      this.#onIdle = () => {
        previous?.();
        this.#onIdle = undefined;
        resolve();
      };
    });
  }

  /** Aborts every request in progress: shutdown's deadline has passed. */
  abortAll(): void {
    for (const scope of this.#scopes) {
      scope.abort(
        "shutdown",
        new GatewayShutdownError("The gateway shut down before the request finished"),
      );
    }
  }
}
