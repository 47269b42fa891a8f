// The doubles right above and below a value, read off its bit pattern (two 32-bit halves, so
// no BigInt is allocated on the hot path).
const float = new Float64Array(1);
const halves = new Uint32Array(float.buffer);
// Which half holds the low bits depends on the platform's byte order.
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH = 1 - LOW;

// One step of the bit pattern away from zero (`away`) or towards it, for a finite non-zero value.
function step(value: number, away: boolean): number {
  float[0] = value;
  if (away) {
    halves[LOW] = (halves[LOW]! + 1) >>> 0;
    if (halves[LOW] === 0) halves[HIGH] = (halves[HIGH]! + 1) >>> 0;
  } else {
    if (halves[LOW] === 0) halves[HIGH] = (halves[HIGH]! - 1) >>> 0;
    halves[LOW] = (halves[LOW]! - 1) >>> 0;
  }
  return float[0];
}

/** The smallest double above `value` (finite values; `value` itself for ±Infinity and NaN). */
export function nextUp(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (value === 0) return Number.MIN_VALUE;
  return step(value, value > 0);
}

/** The largest double below `value` (finite values; `value` itself for ±Infinity and NaN). */
export function nextDown(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (value === 0) return -Number.MIN_VALUE;
  return step(value, value < 0);
}
