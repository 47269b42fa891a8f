// The doubles right above and below a value, read off its bit pattern.
const bits = new DataView(new ArrayBuffer(8));

function step(value: number, delta: 1n | -1n): number {
  if (value === 0) return delta > 0n ? Number.MIN_VALUE : -Number.MIN_VALUE;
  bits.setFloat64(0, value);
  // For a negative value the magnitude moves the other way.
  const signed = value > 0 ? delta : -delta;
  bits.setBigInt64(0, bits.getBigInt64(0) + signed);
  return bits.getFloat64(0);
}

/** The smallest double above `value` (finite values; `value` itself for ±Infinity and NaN). */
export function nextUp(value: number): number {
  return Number.isFinite(value) ? step(value, 1n) : value;
}

/** The largest double below `value` (finite values; `value` itself for ±Infinity and NaN). */
export function nextDown(value: number): number {
  return Number.isFinite(value) ? step(value, -1n) : value;
}
