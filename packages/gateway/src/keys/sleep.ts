import { AbortedError } from "@fabricatio/thryd";

/**
 * Waits `ms` milliseconds, or rejects with `AbortedError` as soon as `signal` fires.
 * @throws {AbortedError}
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError("The wait for rate-limit room", signal.reason));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError("The wait for rate-limit room", signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
