import { type CompletionResponse, UnsupportedFeatureError } from "@fabricatio/thryd";
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

  it("sends a system prompt and history before the question, images in the last user turn", async () => {
    const { llm, calls } = llmWith(["answer"]);
    const history = [
      { role: "user" as const, content: "I am Ada." },
      { role: "assistant" as const, content: "Hello Ada." },
    ];
    await llm.ask("Who am I?", {
      system: "Be terse.",
      history,
      images: ["https://example.com/a.png"],
      stop: ["\n\n"],
      seed: 7,
    });
    expect(calls[0]?.request).toEqual({
      messages: [
        { role: "system", content: "Be terse." },
        ...history,
        {
          role: "user",
          content: [
            { type: "text", text: "Who am I?" },
            { type: "image_url", image_url: { url: "https://example.com/a.png" } },
          ],
        },
      ],
      temperature: 0.3,
      max_completion_tokens: 64,
      stop: ["\n\n"],
      seed: 7,
    });
  });

  it("chat sends the conversation with tools and returns camelCase fields", async () => {
    const { llm, calls } = llmWith(["hi"]);
    const tools = [
      { type: "function" as const, function: { name: "now", parameters: { type: "object" } } },
    ];
    const result = await llm.chat([{ role: "user", content: "time?" }], {
      tools,
      toolChoice: "required",
      parallelToolCalls: false,
      responseFormat: { type: "json_object" },
    });
    expect(result).toEqual({
      content: "hi",
      toolCalls: [],
      finishReason: "stop",
      message: { role: "assistant", content: "hi" },
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    expect(calls[0]?.request).toMatchObject({
      messages: [{ role: "user", content: "time?" }],
      tools,
      tool_choice: "required",
      parallel_tool_calls: false,
      response_format: { type: "json_object" },
    });
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

  it("askJson sends a zod schema as strict native structured output and validates the answer", async () => {
    const schema = z.object({ title: z.string(), pages: z.number().int() });
    const { llm, calls } = llmWith(['{"title": 1}', '{"title": "T", "pages": 3}']);
    expect(await llm.askJson("a book", schema)).toEqual({ title: "T", pages: 3 });
    expect(calls).toHaveLength(2);
    expect(calls[0]?.request.message).toBe("a book");
    const format = calls[0]?.request.response_format as {
      type: string;
      json_schema: { name: string; schema: Record<string, unknown>; strict: boolean };
    };
    expect(format.type).toBe("json_schema");
    expect(format.json_schema.name).toBe("answer");
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema).not.toHaveProperty("$schema");
    expect(format.json_schema.schema).toMatchObject({
      type: "object",
      required: ["title", "pages"],
      additionalProperties: false,
    });
    // The re-ask after an invalid answer skips the cache read, as every validating helper does.
    expect(calls[1]?.options.fresh).toBe(true);
  });

  it("askJson sends strict: false for a schema with optional fields", async () => {
    const schema = z.object({ title: z.string(), subtitle: z.string().optional() });
    const { llm, calls } = llmWith(['{"title": "T"}']);
    expect(await llm.askJson("a book", schema)).toEqual({ title: "T" });
    expect(calls[0]?.request.response_format).toMatchObject({ json_schema: { strict: false } });
  });

  it("askJson in prompt mode shows the JSON Schema in the prompt and sends no response_format", async () => {
    const schema = z.object({ title: z.string(), pages: z.number().int() });
    const withJsonSchema = {
      safeParse: schema.safeParse.bind(schema),
      jsonSchema: () => z.toJSONSchema(schema),
    };
    const { llm, calls } = llmWith(['{"title": 1}', '```json\n{"title": "T", "pages": 3}\n```']);
    expect(await llm.askJson("a book", withJsonSchema, { structuredOutput: "prompt" })).toEqual({
      title: "T",
      pages: 3,
    });
    expect(calls[0]?.request.message).toContain('"pages"');
    expect(calls[0]?.request).not.toHaveProperty("response_format");
  });

  it("askJson prompts for a schema that gives no JSON Schema", async () => {
    const { llm, calls } = llmWith(['{"n": 1}']);
    const plain = {
      safeParse: (value: unknown) =>
        typeof value === "object" && value !== null
          ? { success: true as const, data: value }
          : { success: false as const },
    };
    expect(await llm.askJson("anything", plain)).toEqual({ n: 1 });
    expect(calls[0]?.request.message).toContain("(any JSON value)");
    expect(calls[0]?.request).not.toHaveProperty("response_format");
  });

  it("askJson falls back to the prompt when the group rejects structured output, and remembers it", async () => {
    const schema = z.object({ title: z.string() });
    const { llm, calls } = llmWith([
      new UnsupportedFeatureError("response_format", "custom"),
      '{"title": "A"}',
      '{"title": "B"}',
    ]);
    expect(await llm.askJson("first", schema)).toEqual({ title: "A" });
    expect(await llm.askJson("second", schema)).toEqual({ title: "B" });
    expect(calls.map((call) => "response_format" in call.request)).toEqual([true, false, false]);
    expect(calls[1]?.request.message).toContain('"title"');
  });

  it("askJson in native mode does not fall back", async () => {
    const { llm, calls } = llmWith([
      new UnsupportedFeatureError("response_format", "custom"),
      new UnsupportedFeatureError("response_format", "custom"),
    ]);
    const schema = z.object({ title: z.string() });
    expect(
      await llm.askJson("x", schema, { structuredOutput: "native", maxValidations: 2 }),
    ).toBeNull();
    expect(calls.every((call) => "response_format" in call.request)).toBe(true);
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

describe("send_to, images and cache options", () => {
  it("falls through an unconfigured variant to llm.send_to, as the original", async () => {
    const { llm, calls } = llmWith(["a"], {
      llm: { send_to: "chat" },
      resolveSendTo: (preferred) => (preferred === "plan" ? undefined : preferred),
    });
    await llm.ask("hi", { sendTo: "plan" });
    expect(calls[0]?.group).toBe("chat");
  });

  it("turns image bytes into data URIs with the sniffed MIME type", async () => {
    const { llm, calls } = llmWith(["seen"]);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const pdf = new TextEncoder().encode("%PDF-1.7\n");
    await llm.ask("describe", { images: [png, pdf, "https://example.com/a.jpg"] });
    expect(calls[0]?.request.images).toEqual([
      `data:image/png;base64,${png.toString("base64")}`,
      `data:application/pdf;base64,${Buffer.from(pdf).toString("base64")}`,
      "https://example.com/a.jpg",
    ]);
  });

  it("maps noCache to a fresh call, cache off to neither, and rejects read-only caching", async () => {
    const { llm, calls } = llmWith(["1", "2", "3", "4"]);
    await llm.ask("q", { noCache: true });
    await llm.ask("q", { cache: "off" });
    await llm.ask("q", { cacheRead: false, cacheWrite: false });
    await llm.ask("q");
    expect(calls.map((call) => [call.options.fresh, call.options.noCache])).toEqual([
      [true, undefined],
      [false, true],
      [false, true],
      [false, false],
    ]);
    await expect(llm.ask("q", { cacheWrite: false })).rejects.toMatchObject({
      code: "FABRICATIO_CACHE_MODE_UNSUPPORTED",
    });
  });

  it("takes llm.no_cache as the default of noCache", async () => {
    const { llm, calls } = llmWith(["1"], { llm: { send_to: "g", no_cache: true } });
    await llm.ask("q");
    expect(calls[0]?.options.fresh).toBe(true);
  });
});

describe("choices", () => {
  const choices = [
    { name: "alpha", briefing: "first" },
    { name: "beta", briefing: "second" },
    { name: "gamma", briefing: "third" },
  ];

  it("keeps the valid names of an answer and ignores unknown ones", async () => {
    const { llm, calls } = llmWith(['```json\n["gamma", "delta", "alpha"]\n```']);
    expect(await llm.choose("pick some", choices)).toEqual([choices[0], choices[2]]);
    expect(calls).toHaveLength(1);
  });

  it("re-asks only when no answered name is valid", async () => {
    const { llm, calls } = llmWith(['["delta"]', '["beta"]']);
    expect(await llm.choose("pick", choices)).toEqual([choices[1]]);
    expect(calls).toHaveLength(2);
  });

  it("pick throws a typed error when nothing valid was picked", async () => {
    const { llm } = llmWith(['["delta"]', '["epsilon"]', "[]"]);
    await expect(llm.pick("pick", choices)).rejects.toMatchObject({
      code: "FABRICATIO_NOTHING_PICKED",
      choices: ["alpha", "beta", "gamma"],
    });
  });

  it("pick answers a batch with null for an instruction nothing was picked for", async () => {
    const { llm } = llmWith(['["beta"]', '["nope"]', '["nope"]', '["nope"]']);
    const picked = await llm.pick(["one", "two"], choices);
    expect(picked.filter((item) => item !== null)).toEqual([choices[1]]);
    expect(picked).toHaveLength(2);
  });

  it("refuses choices with duplicate names", async () => {
    const { llm } = llmWith([]);
    await expect(llm.choose("x", [{ name: "a" }, { name: "a" }])).rejects.toMatchObject({
      code: "FABRICATIO_DUPLICATE_CHOICE",
      duplicates: ["a"],
    });
  });

  it("enumChoose takes TS string enums, numeric enums, literal arrays and zod enums", async () => {
    enum Color {
      Red = "red",
      Green = "green",
    }
    enum Level {
      Low = 1,
      High = 2,
    }
    const { llm, calls } = llmWith(['["Green"]', '["High", "Low"]', '["b"]', '["x", "z"]']);
    expect(await llm.enumChoose("colour?", Color)).toEqual([Color.Green]);
    expect(await llm.enumChoose("level?", Level)).toEqual([Level.Low, Level.High]);
    expect(await llm.enumChoose("letter?", ["a", "b", "c"] as const, { k: 1 })).toEqual(["b"]);
    const zodEnum = z.enum(["x", "y", "z"]).describe("three letters");
    expect(await llm.enumChoose("which?", zodEnum, { k: 2 })).toEqual(["x", "z"]);
    expect(calls[3]?.request.message).toContain("three letters");
    expect(calls[1]?.request.message).not.toContain("- 1\n");
  });
});

describe("batch forms", () => {
  it("judge, genericString, codeString, askList and askMapping take arrays", async () => {
    const { llm } = llmWith([
      "```json\ntrue\n```",
      "```json\ntrue\n```",
      "--- Start of String ---\nhello\n--- End of String ---",
      "--- Start of String ---\nhello\n--- End of String ---",
      "```python\nx = 1\n```",
      "```python\nx = 1\n```",
      '```json\n["a"]\n```',
      '```json\n["a"]\n```',
      '```json\n{"k": 1}\n```',
      '```json\n{"k": 1}\n```',
    ]);
    expect(await llm.judge(["p1", "p2"])).toEqual([true, true]);
    expect(await llm.genericString(["r1", "r2"])).toEqual(["hello", "hello"]);
    expect(await llm.codeString(["c1", "c2"], "python")).toEqual(["x = 1", "x = 1"]);
    expect(await llm.askList(["l1", "l2"])).toEqual([["a"], ["a"]]);
    expect(await llm.askMapping(["m1", "m2"], { valueType: "int" })).toEqual([{ k: 1 }, { k: 1 }]);
  });

  it("codeSnippets parses path, language and source of every snippet", async () => {
    const { llm } = llmWith([
      "src/a.py\n>>>>>python\nprint(1)\n<<<<<\n\nsrc/b.ts\n>>>>>ts\nexport {};\n<<<<<",
    ]);
    const snippets = await llm.codeSnippets("two files");
    expect(
      snippets?.map((snippet) => [snippet.writeTo.trim(), snippet.language, snippet.source]),
    ).toEqual([
      ["src/a.py", "python", "print(1)"],
      ["src/b.ts", "ts", "export {};"],
    ]);
  });

  it("codeString refuses a block tagged with another language", async () => {
    const { llm, calls } = llmWith(["```js\nx\n```", "```python\ny\n```"]);
    expect(await llm.codeString("code", "python")).toBe("y");
    expect(calls).toHaveLength(2);
  });
});

describe("embed and rerank like the original", () => {
  it("embeds one string into one vector and defaults maxBatchEmbSize to 10", async () => {
    const { llm, calls } = llmWith([]);
    expect(await llm.embed("one")).toEqual([0, 8]);
    expect(calls[0]?.request.maxBatchEmbSize).toBe(10);
  });

  it("rejects an empty or blank rerank query with a typed error, calling nothing", async () => {
    const { llm, calls } = llmWith([]);
    await expect(llm.rerank("  ", ["d"])).rejects.toMatchObject({
      code: "FABRICATIO_EMPTY_RERANK_QUERY",
    });
    await expect(llm.rerank("", ["d"])).rejects.toThrow(/non-empty/);
    expect(calls).toHaveLength(0);
  });
});
