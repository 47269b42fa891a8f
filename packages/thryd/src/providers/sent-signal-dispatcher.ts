import { Dispatcher } from "undici";

type ConnectHook = (this: unknown, ...args: unknown[]) => unknown;

/**
 * A dispatcher that forwards every request to `inner` and calls `onSent` once undici hands the
 * request to a connected socket, right before it writes it: from then on the server may have
 * seen it. A request that fails before (refused connection, aborted while queued for a
 * connection) never calls it. Built per request, only when a caller asked for the signal.
 */
export class SentSignalDispatcher extends Dispatcher {
  readonly #inner: Dispatcher;
  readonly #onSent: () => void;
  #sent = false;

  constructor(inner: Dispatcher, onSent: () => void) {
    super();
    this.#inner = inner;
    this.#onSent = onSent;
  }

  override dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): boolean {
    // `request()` passes its own handler; undici calls `onConnect` (or, for handlers written to
    // its newer API, `onRequestStart`) when the request is about to be written. Patching the
    // one instance avoids a wrapper that would have to forward every other callback.
    const hooks = handler as unknown as Record<string, ConnectHook | undefined>;
    const name = typeof hooks.onRequestStart === "function" ? "onRequestStart" : "onConnect";
    const original = hooks[name];
    hooks[name] = (...args: unknown[]) => {
      if (!this.#sent) {
        this.#sent = true;
        this.#onSent();
      }
      return original?.apply(handler, args);
    };
    return this.#inner.dispatch(options, handler);
  }
}
