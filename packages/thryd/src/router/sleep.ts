import { AbortedError } from "../errors/transport-errors.js";
import { clampTimerMs } from "../timers.js";

/** Waits `ms` milliseconds; rejects with `AbortedError` when `signal` fires first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The default {@link Sleep} on `setTimeout`, so fake timers drive it in tests. The wait is
 * clamped (`clampTimerMs`): a wait beyond 24.8 days stays that long instead of firing after 1 ms.
 */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError("Wait", signal.reason));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError("Wait", signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, clampTimerMs(ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
