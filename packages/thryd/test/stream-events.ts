import type { StreamEvent } from "../src/index.js";

/** Drains a model's stream into its text deltas and the usage it reported last. */
export async function collect(events: AsyncIterable<StreamEvent>) {
  const deltas: string[] = [];
  let usage: unknown;
  for await (const event of events) {
    if (event.type === "delta") deltas.push(event.text);
    else usage = event.usage;
  }
  return { deltas, usage };
}
