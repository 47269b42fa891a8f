import type { CompletionResponse } from "@fabricatio/thryd";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SendToNotSpecifiedError, SettingNotSpecifiedError } from "../errors.js";
import { TemplateManager } from "../templates/template-manager.js";
import { LLM } from "./llm.js";
import type { LlmBackends, LlmSettings } from "./types.js";

interface Call {
  group: string;
  request: Record<string, unknown>;
  options: Record<string, unknown>;
}

/** A backend that answers from a queue and records every call; an unqueued call throws. */
function scriptedBackends(answers: (string | Error)[]) {
  const calls: Call[] = [];
  const record = (group: string, request: object, options: object, fresh: boolean) =>
    calls.push({ group, request: { ...request }, options: { ...options, fresh } });
  const answer = async (): Promise<CompletionResponse> => {
    const next = answers.shift();
    if (next === undefined) throw new Error("no answer scripted");
    if (next instanceof Error) throw next;
    return {
      content: next,
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      finish_reason: "stop",
      message: { role: "assistant", content: next },
    };
  };
  const backends: LlmBackends = {
    completion: {
      async invoke(group, request, options) {
        record(group, request, options, false);
        return answer();
      },
      async invokeFresh(group, request, options) {
        record(group, request, options, true);
        return answer();
      },
      async *stream(group, request, options) {
        record(group, request, options, false);
        yield* ["Hel", "lo"];
      },
    },
    embedding: {
      async invoke(group, request, options) {
        record(group, request, options, false);
        return { embeddings: request.texts.map((_, index) => [index, request.ndim]) };
      },
      async invokeFresh(group, request, options) {
        record(group, request, options, true);
        return { embeddings: request.texts.map(() => [-1]) };
      },
    },
    rerank: {
      async invoke(group, request, options) {
        record(group, request, options, false);
        return {
          rankings: [
            [1, 0.9],
            [0, 0.1],
          ],
        };
      },
      async invokeFresh(group, request, options) {
        record(group, request, options, true);
        return { rankings: [] };
      },
    },
  };
  return { backends, calls };
}

function settings(overrides: Partial<LlmSettings> = {}): LlmSettings {
  return {
    llm: { send_to: "task", temperature: 0.3, max_completion_tokens: 64 },
    embedding: { send_to: "emb", ndim: 8 },
    reranker: { send_to: "rr" },
    general: { use_json_repair: true },
    templates: {},
    resolveSendTo: (preferred) => (preferred === "task" ? "openai-group" : preferred),
    ...overrides,
  };
}

function llmWith(answers: (string | Error)[], overrides: Partial<LlmSettings> = {}) {
  const { backends, calls } = scriptedBackends(answers);
  return { llm: new LLM(backends, settings(overrides), new TemplateManager()), calls };
}

describe("LLM.ask", () => {
  it("resolves the variant, applies config defaults and lets a call override them", async () => {
    const { llm, calls } = llmWith(["first", "second"]);
    expect(await llm.ask("hi")).toBe("first");
    expect(await llm.ask("hi", { sendTo: "other", temperature: 1.5, noCache: true })).toBe(
      "second",
    );
    expect(calls[0]).toEqual({
      group: "openai-group",
      request: { message: "hi", temperature: 0.3, max_completion_tokens: 64 },
      options: {
        noCache: false,
        fresh: false,
        signal: undefined,
        timeoutMs: undefined,
        maxWaitMs: undefined,
      },
    });
    expect(calls[1]?.group).toBe("other");
    expect(calls[1]?.request.temperature).toBe(1.5);
    expect(calls[1]?.options.fresh).toBe(true);
  });

  it("answers a batch in order with null for the item that failed", async () => {
    const { llm } = llmWith(["a", new Error("upstream"), "c"]);
    expect(await llm.ask(["1", "2", "3"])).toEqual(["a", null, "c"]);
  });

  it("fails with a typed error naming how to set send_to when none is configured", async () => {
    const { llm } = llmWith(["x"], { llm: {}, resolveSendTo: (preferred) => preferred });
    await expect(llm.ask("hi")).rejects.toBeInstanceOf(SendToNotSpecifiedError);
    await expect(llm.ask("hi")).rejects.toThrow(
      /send_to is not specified: .*llm\.send_to in fabricatio\.toml/,
    );
  });

  it("streams deltas", async () => {
    const { llm } = llmWith([]);
    const parts: string[] = [];
    for await (const part of llm.askStream("hi")) parts.push(part);
    expect(parts.join("")).toBe("Hello");
  });
});

describe("LLM.askValidate", () => {
  it("re-asks fresh (cache read skipped, answer written) after an invalid answer", async () => {
    const { llm, calls } = llmWith(["nope", "42"]);
    const value = await llm.askValidate("number?", (answer) =>
      /^\d+$/.test(answer) ? Number(answer) : undefined,
    );
    expect(value).toBe(42);
    expect(calls.map((call) => call.options.fresh)).toEqual([false, true]);
  });

  it("keeps the cache off on re-asks when the caller turned it off", async () => {
    const { llm, calls } = llmWith(["nope", "42"]);
    await llm.askValidate("number?", (answer) => (/^\d+$/.test(answer) ? 1 : undefined), {
      cache: "off",
    });
    expect(calls.map((call) => [call.options.fresh, call.options.noCache])).toEqual([
      [false, true],
      [false, true],
    ]);
  });

  it("validates a batch concurrently, in order, each item with its own retries", async () => {
    const { llm } = llmWith(["1", "x", "3", "2"]);
    const results = await llm.askValidate(["a", "b", "c"], (answer) =>
      /^\d$/.test(answer) ? Number(answer) : undefined,
    );
    expect(results.slice().sort()).toEqual([1, 2, 3]);
    expect(results).toHaveLength(3);
  });

  it("rejects maxValidations below 1 with a typed error", async () => {
    const { llm } = llmWith([]);
    await expect(llm.askValidate("?", () => 1, { maxValidations: 0 })).rejects.toMatchObject({
      code: "FABRICATIO_INVALID_OPTION",
    });
  });

  it("returns the default, or null, after maxValidations invalid answers", async () => {
    const { llm, calls } = llmWith(["a", "b", "c", "d"]);
    expect(await llm.askValidate("?", () => undefined, { maxValidations: 2, default: 7 })).toBe(7);
    expect(await llm.askValidate("?", () => undefined, { maxValidations: 2 })).toBeNull();
    expect(calls).toHaveLength(4);
  });
});

describe("structured helpers", () => {
  it("judge parses a fenced boolean and renders the affirm case into the prompt", async () => {
    const { llm, calls } = llmWith(["```json\nfalse\n```"]);
    expect(await llm.judge("Is the sky green?", { affirmCase: "it is green" })).toBe(false);
    expect(calls[0]?.request.message).toContain("Is the sky green?");
    expect(calls[0]?.request.message).toContain("Answer true when it is green.");
  });

  it("choose maps names back to the choices and rejects unknown names", async () => {
    const choices = [
      { name: "alpha", briefing: "first" },
      { name: "beta", briefing: "second" },
    ];
    const { llm } = llmWith(['```json\n["gamma"]\n```', '```json\n["beta"]\n```']);
    expect(await llm.choose("pick one", choices, { k: 1 })).toEqual([choices[1]]);
    const { llm: picker } = llmWith(['["alpha"]']);
    expect(await picker.pick("pick", choices)).toEqual(choices[0]);
  });

  it("askList checks element types and the exact count", async () => {
    const { llm } = llmWith([
      '```json\n["a", 1]\n```',
      '```json\n["a"]\n```',
      '```json\n["a", "b"]\n```',
    ]);
    expect(await llm.askList("two words", { k: 2 })).toEqual(["a", "b"]);
  });

  it("askMapping repairs slightly broken JSON when use_json_repair is on", async () => {
    const { llm } = llmWith(["```json\n{'a': 1, 'b': 2,}\n```"]);
    expect(await llm.askMapping("counts", { valueType: "int" })).toEqual({ a: 1, b: 2 });
  });

  it("askJson validates with a zod schema and shows its JSON Schema to the model", async () => {
    const schema = z.object({ title: z.string(), pages: z.number().int() });
    const withJsonSchema = {
      safeParse: schema.safeParse.bind(schema),
      jsonSchema: () => z.toJSONSchema(schema),
    };
    const { llm, calls } = llmWith(['{"title": 1}', '```json\n{"title": "T", "pages": 3}\n```']);
    expect(await llm.askJson("a book", withJsonSchema)).toEqual({ title: "T", pages: 3 });
    expect(calls[0]?.request.message).toContain('"pages"');
  });

  it("codeString and genericString unwrap the fenced block", async () => {
    const { llm } = llmWith(["Sure:\n```python\nprint(1)\n```", "```string\nplain text\n```"]);
    expect(await llm.codeString("print one", "python")).toBe("print(1)");
    expect(await llm.genericString("say something")).toBe("plain text");
  });
});

describe("embed and rerank", () => {
  it("use the [embedding] and [reranker] defaults", async () => {
    const { llm, calls } = llmWith([]);
    expect(await llm.embed(["a", "b"])).toEqual([
      [0, 8],
      [1, 8],
    ]);
    expect(await llm.rerank("q", ["d0", "d1"])).toEqual([
      [1, 0.9],
      [0, 0.1],
    ]);
    expect(calls.map((call) => call.group)).toEqual(["emb", "rr"]);
  });

  it("name the missing setting", async () => {
    const { llm } = llmWith([], { embedding: { send_to: "emb" }, reranker: {} });
    await expect(llm.embed(["a"])).rejects.toThrow(SettingNotSpecifiedError);
    await expect(llm.embed(["a"])).rejects.toThrow("embedding.ndim is not specified");
    await expect(llm.rerank("q", [])).rejects.toThrow("reranker.send_to is not specified");
  });
});
