import { AbortedError } from "../errors/transport-errors.js";

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController | undefined;
  waiters: number;
}

/**
 * Shares one call among concurrent callers with the same key. The shared call gets its own
 * `AbortSignal`, aborted only when every waiter has detached: one caller's abort must not fail
 * the others. The key is forgotten once the call settles, so later calls start a new one.
 */
export class Singleflight {
  readonly #flights = new Map<string, Flight<unknown>>();

  /** Calls in flight. */
  get size(): number {
    return this.#flights.size;
  }

  /**
   * Joins the call for `key`, or starts it with `run(signal)`. Every waiter gets the same result
   * or the same error. A leader without a signal never detaches, so its call gets no signal
   * (`undefined`): the shared call cannot be left without waiters.
   * @throws {AbortedError} to a waiter whose own `signal` fires; the others keep waiting
   */
  run<T>(
    key: string,
    run: (signal: AbortSignal | undefined) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    let flight = this.#flights.get(key) as Flight<T> | undefined;
    if (!flight) {
      const controller = signal ? new AbortController() : undefined;
      const started: Flight<T> = {
        controller,
        waiters: 0,
        promise: run(controller?.signal).finally(() => {
          if (this.#flights.get(key) === started) this.#flights.delete(key);
        }),
      };
      flight = started;
      this.#flights.set(key, flight as Flight<unknown>);
    }
    return this.#wait(key, flight, signal);
  }

  #wait<T>(key: string, flight: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    flight.waiters++;
    if (!signal) {
      return flight.promise.finally(() => {
        flight.waiters--;
      });
    }
    return new Promise<T>((resolve, reject) => {
      let attached = true;
      const detach = () => {
        if (!attached) return false;
        attached = false;
        signal.removeEventListener("abort", onAbort);
        flight.waiters--;
        return true;
      };
      const onAbort = () => {
        if (!detach()) return;
        if (flight.waiters === 0) {
          // Nobody wants the answer any more: cancel the upstream call.
          if (this.#flights.get(key) === flight) this.#flights.delete(key);
          flight.controller?.abort(signal.reason);
        }
        reject(new AbortedError(`Shared request "${key.slice(0, 16)}…"`, signal.reason));
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      flight.promise.then(
        (value) => {
          if (detach()) resolve(value);
        },
        (error: unknown) => {
          if (detach()) reject(error);
        },
      );
    });
  }
}
