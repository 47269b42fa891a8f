import type { StreamEvent } from "../src/index.js";

/** Drains a model's stream into its text deltas, the usage and the finish reason it reported. */
export async function collect(events: AsyncIterable<StreamEvent>) {
  const deltas: string[] = [];
  let usage: unknown;
  let finishReason: string | undefined;
  for await (const event of events) {
    if (event.type === "delta") deltas.push(event.text);
    else if (event.type === "usage") usage = event.usage;
    else if (event.type === "finish") finishReason = event.finish_reason;
  }
  return { deltas, usage, finishReason };
}
