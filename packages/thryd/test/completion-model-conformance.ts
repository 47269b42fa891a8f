import { expect, type TestAPI } from "vitest";
import type { CompletionModel, StreamEvent } from "../src/index.js";

/**
 * The contract of a completion model, registered under the caller's `it`. `makeModel` returns a
 * fresh model that answers `expected(message)` to each of the next two calls for `message`.
 */
export function completionModelConformance(
  it: TestAPI,
  makeModel: (message: string) => Promise<CompletionModel>,
  expected: (message: string) => string,
): void {
  it("answers with content and a consistent usage", async () => {
    const model = await makeModel("conformance");
    const response = await model.invoke({ message: "conformance" });
    expect(response.content).toBe(expected("conformance"));
    expect(response.finish_reason).toBe("stop");
    expect(response.message).toEqual({ role: "assistant", content: expected("conformance") });
    const { prompt_tokens, completion_tokens, total_tokens } = response.usage;
    for (const count of [prompt_tokens, completion_tokens, total_tokens]) {
      expect(Number.isInteger(count) && count >= 0).toBe(true);
    }
    expect(total_tokens).toBe(prompt_tokens + completion_tokens);
  });

  it("rejects an already aborted call with THRYD_ABORTED", async () => {
    const model = await makeModel("aborted");
    await expect(
      model.invoke({ message: "aborted" }, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: "THRYD_ABORTED" });
  });

  it("streams deltas that add up to the answer, then one usage event and the finish", async () => {
    const model = await makeModel("stream me");
    if (!model.stream) return expect(model.stream).toBeUndefined();
    const events: StreamEvent[] = [];
    for await (const event of model.stream({ message: "stream me" })) events.push(event);
    const text = events.map((event) => (event.type === "delta" ? event.text : "")).join("");
    expect(text).toBe(expected("stream me"));
    expect(events.filter((event) => event.type === "usage")).toHaveLength(1);
    expect(events.slice(-2).map((event) => event.type)).toEqual(["usage", "finish"]);
    expect(events.at(-1)).toEqual({ type: "finish", finish_reason: "stop" });
  });
}
