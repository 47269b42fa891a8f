import type { StreamEvent } from "../src/index.js";

/** Every event of a model's stream, in order. */
export async function drain(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const seen: StreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

/** Tool calls assembled from `tool_call_delta` events per index, as a router would. */
export function assembleToolCalls(events: readonly StreamEvent[]) {
  const calls: { id: string; name: string; arguments: string }[] = [];
  for (const event of events) {
    if (event.type !== "tool_call_delta") continue;
    const call = calls[event.index] ?? { id: "", name: "", arguments: "" };
    calls[event.index] = call;
    if (event.id) call.id = event.id;
    if (event.name) call.name = event.name;
    call.arguments += event.arguments;
  }
  return calls;
}
