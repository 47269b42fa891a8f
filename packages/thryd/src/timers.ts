/**
 * The longest delay Node's timers take, in ms (2^31 - 1, about 24.8 days). A longer delay is
 * not honoured: Node warns and fires after 1 ms.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A delay fit for `setTimeout`: `NaN` and negative values become 0, and anything above
 * {@link MAX_TIMER_MS} (`Infinity` included) becomes MAX_TIMER_MS, so a huge wait stays huge
 * instead of overflowing into a 1 ms timer.
 */
export function clampTimerMs(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}
