import { describe, expect, it } from "vitest";
import type { Provider } from "../types.js";
import { OpenAICompletionModel } from "./openai-completion-model.js";
import { ReasoningStripper, stripReasoning } from "./reasoning.js";

function streamed(chunks: string[]): string {
  const stripper = new ReasoningStripper();
  return chunks.map((chunk) => stripper.push(chunk)).join("") + stripper.flush();
}

describe("stripReasoning", () => {
  it("removes a leading think block and the blank lines after it", () => {
    expect(stripReasoning("<think>step 1\nstep 2</think>\n\nThe answer is 4.")).toBe(
      "The answer is 4.",
    );
  });

  it("removes <thinking> blocks and blocks in the middle of the text", () => {
    expect(stripReasoning("A <thinking>hmm</thinking>B<think>x</think> C")).toBe("A B C");
  });

  it("drops everything after an unterminated opening tag", () => {
    expect(stripReasoning("Answer: 4<think>but wait")).toBe("Answer: 4");
    expect(stripReasoning("<think>never closed")).toBe("");
  });

  it("leaves text without reasoning tags, and lookalike tags, untouched", () => {
    expect(stripReasoning("a < b and <thin> tags")).toBe("a < b and <thin> tags");
    expect(stripReasoning("ends with <thi")).toBe("ends with <thi");
  });
});

describe("ReasoningStripper over chunks", () => {
  const text = "<think>reason about <b> tags</think>\nHello <thinking>x</thinking>world";

  it("gives the same result for every way of splitting the text in two", () => {
    const whole = stripReasoning(text);
    expect(whole).toBe("Hello world");
    for (let cut = 0; cut <= text.length; cut++) {
      expect(streamed([text.slice(0, cut), text.slice(cut)])).toBe(whole);
    }
  });

  it("handles one-character chunks", () => {
    expect(streamed([...text])).toBe("Hello world");
  });

  it("releases text as soon as it cannot be a tag", () => {
    const stripper = new ReasoningStripper();
    expect(stripper.push("Hi <")).toBe("Hi ");
    expect(stripper.push("b>")).toBe("<b>");
    expect(stripper.push("<thi")).toBe("");
    expect(stripper.push("nk>secret</th")).toBe("");
    expect(stripper.push("ink> bye")).toBe(" bye");
    expect(stripper.flush()).toBe("");
  });
});

describe("Provider reasoning fields", () => {
  // A spec double: answers with what a reasoning model behind an OpenAI-compatible API sends.
  const provider = {
    name: "reasoner",
    baseUrl: "http://reasoner.invalid/",
    authHeaders: () => ({}),
    postJson: async <T>() =>
      ({
        choices: [
          {
            message: { content: "4", reasoning_content: "2+2 is 4", reasoning: "r" },
            finish_reason: "stop",
          },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }) as T,
    postStream: async () => ({
      headers: {},
      body: (async function* () {
        const frames = [
          { choices: [{ delta: { reasoning_content: "thinking…" } }] },
          { choices: [{ delta: { reasoning: "more" } }] },
          { choices: [{ delta: { content: "4" }, finish_reason: "stop" }] },
        ];
        for (const frame of frames)
          yield new TextEncoder().encode(`data: ${JSON.stringify(frame)}\n\n`);
        yield new TextEncoder().encode("data: [DONE]\n\n");
      })(),
    }),
    getJson: async <T>() => ({}) as T,
    createCompletionModel: () => {
      throw new Error("not used");
    },
    createEmbeddingModel: () => {
      throw new Error("not used");
    },
    createRerankModel: () => {
      throw new Error("not used");
    },
  } satisfies Provider;

  it("never puts reasoning_content or reasoning into the answer or the stream", async () => {
    const model = new OpenAICompletionModel("r1", provider);
    await expect(model.invoke({ message: "2+2?" })).resolves.toMatchObject({ content: "4" });
    const texts: string[] = [];
    for await (const event of model.stream({ message: "2+2?" })) {
      if (event.type === "delta") texts.push(event.text);
    }
    expect(texts).toEqual(["4"]);
  });
});
