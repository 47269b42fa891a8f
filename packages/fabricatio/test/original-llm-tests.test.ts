// The original's LLM tests (packages/fabricatio-core/python/tests/test_usages.py and
// test_propose.py) rewritten against this package: the same cases and expectations, the answers
// served by the loopback mock server through the real router instead of the original's
// DummyModel. `answerAlways(x)` stands in for the original's `return_router_usage(x)` fixture
// (every request answered with x).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "@fabricatio/config";
import { initLogger } from "@fabricatio/logger";
import { type MockLlmServer, startMockLlm } from "@fabricatio/mock-llm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLLM, type FabricatioLLM } from "../src/index.js";

let mock: MockLlmServer;
let llm: FabricatioLLM;
const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-original-"));

const codeBlock = (content: string, language = "json") => `\`\`\`${language}\n${content}\n\`\`\``;
const genericBlock = (content: string, language = "String") =>
  `--- Start of ${language} ---\n${content}\n--- End of ${language} ---`;
const answerAlways = (content: string) => mock.setDefault({ type: "ok", content });
const sentPrompts = () =>
  mock.requests.map(
    (request) => (request.body as { messages: { content: string }[] }).messages[0]?.content ?? "",
  );

beforeAll(async () => {
  initLogger({ level: "OFF", stream: { write() {} } });
  mock = await startMockLlm();
  const config = loadConfig({
    cwd: temp,
    env: {},
    homeDir: temp,
    overrides: {
      llm: { send_to: "llm-test" },
      routing: {
        providers: [
          { ptype: "OpenAICompatible", name: "mock", key: "sk-test", base_url: mock.url },
        ],
        completion_deployments: [{ id: "mock/test-model", group: "llm-test" }],
      },
    },
  });
  llm = createLLM({ config, env: {} });
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await llm.close();
  await mock.close();
  rmSync(temp, { recursive: true, force: true });
});

describe("test_usages.py", () => {
  it("has no cache configured, as the original without cache_database_path", () => {
    expect(llm.cache).toBeUndefined();
  });

  it.each(["Hi", "Hello"])("test_aask: answers %s", async (value) => {
    answerAlways(value);
    expect(await llm.ask(value)).toBe(value);
  });

  it.each([
    ["Hello", ["q_branch_2a", "q_branch_2b"]],
    ["Response2", ["q_branch_3a", "q_branch_3b"]],
    ["Response3", ["q_branch_4a", "q_branch_4b"]],
    ["Response4", "q_branch_5"],
    ["Response5", ["q_branch_6a", "q_branch_6b"]],
  ] as const)("test_aask_branches: %s for %j", async (value, input) => {
    answerAlways(value);
    if (typeof input === "string") {
      expect(await llm.ask(input)).toBe(value);
      return;
    }
    const result = await llm.ask(input);
    expect(result).toEqual(input.map(() => value));
    expect(sentPrompts().slice().sort()).toEqual([...input].sort());
  });

  const digits = (answer: string) => (/^\d+$/.test(answer) ? Number.parseInt(answer, 10) : null);
  it.each([
    ["123", "What is 100 + 23?", digits, undefined, 3, 123],
    ["abc", "Enter digits:", digits, 0, 3, 0],
    ["5", "Give me a number:", digits, -1, 3, 5],
  ] as const)(
    "test_aask_validate: %s → %s",
    async (value, question, validator, fallback, maxValidations, expected) => {
      answerAlways(value);
      const result = await llm.askValidate(question, validator, {
        default: fallback,
        maxValidations,
      });
      expect(result).toBe(expected);
    },
  );

  it("test_aask_validate: a batch of questions, each validated", async () => {
    answerAlways("Hello");
    const result = await llm.askValidate(
      ["q_validate_3a", "q_validate_3b"],
      (answer) => (answer.length > 3 ? answer : null),
      { maxValidations: 2 },
    );
    expect(result).toEqual(["Hello", "Hello"]);
  });

  it("test_aask_validate: re-asks up to max_validations, then gives the default", async () => {
    answerAlways("abc");
    expect(await llm.askValidate("Enter digits:", digits, { default: 0, maxValidations: 3 })).toBe(
      0,
    );
    expect(mock.requestCount).toBe(3);
  });

  it.each([
    [
      codeBlock('{"key1": "value1", "key2": "value2"}'),
      "Generate two string mappings",
      2,
      { key1: "value1", key2: "value2" },
    ],
    [codeBlock('{"key": "value"}'), "Generate one string mapping", 1, { key: "value" }],
    [
      codeBlock('{"key1": "value1", "key2": "value2", "key3": "value3"}'),
      "Generate three string mappings",
      0,
      { key1: "value1", key2: "value2", key3: "value3" },
    ],
    [codeBlock('{"invalid": 123}'), "Invalid mapping", 1, null],
    [
      codeBlock('{"batch_key1": "batch_value1", "batch_key2": "batch_value2"}'),
      "Generate batch string mappings",
      2,
      { batch_key1: "batch_value1", batch_key2: "batch_value2" },
    ],
  ] as const)("test_amapping_kv: %s", async (value, requirement, k, expected) => {
    answerAlways(value);
    const result = await llm.askMapping(requirement, { keyType: "str", valueType: "str", k });
    expect(result).toEqual(expected);
    expect(sentPrompts()[0]).toContain(requirement);
  });

  it.each([
    [
      codeBlock('["apple", "banana", "cherry"]'),
      "Generate three fruits",
      3,
      ["apple", "banana", "cherry"],
    ],
    [codeBlock('["one" ,"two"]'), "Generate two words", 2, ["one", "two"]],
    [codeBlock('["single_item"]'), "Generate one item", 1, ["single_item"]],
    ["invalid json response", "Invalid response", 1, null],
    [
      codeBlock('["batch_item1" "batch_item2"]'),
      codeBlock('["batch_item3", "batch_item4"]'),
      2,
      ["batch_item1", "batch_item2"],
    ],
  ] as const)("test_alist_v: %s", async (value, requirement, k, expected) => {
    answerAlways(value);
    expect(await llm.askList(requirement, { valueType: "str", k })).toEqual(expected);
  });

  it.each([
    [
      codeBlock('["item1", "item2"]'),
      ["First requirement", "Second requirement"],
      2,
      [
        ["item1", "item2"],
        ["item1", "item2"],
      ],
    ],
    [
      codeBlock('["test1", "test2", "test3"]'),
      ["Req1", "Req2", "Req3"],
      3,
      [
        ["test1", "test2", "test3"],
        ["test1", "test2", "test3"],
        ["test1", "test2", "test3"],
      ],
    ],
  ] as const)(
    "test_alist_v_with_requirement_list: %s",
    async (value, requirements, k, expected) => {
      answerAlways(value);
      expect(await llm.askList(requirements, { valueType: "str", k })).toEqual(expected);
      const prompts = sentPrompts();
      for (const requirement of requirements) {
        expect(prompts.some((prompt) => prompt.includes(requirement))).toBe(true);
      }
    },
  );

  it.each([
    [codeBlock('["path1", "path2"]'), "Generate two paths", ["path1", "path2"]],
    [codeBlock('["single_path"]'), "Generate one path", ["single_path"]],
    ["invalid json response", "Invalid path response", null],
  ] as const)("test_apathstr: %s", async (value, requirement, expected) => {
    answerAlways(value);
    expect(await llm.askPathstr(requirement)).toEqual(expected);
    // The pathstr template wrapped in the liststr template, as the original renders it.
    expect(sentPrompts()[0]).toContain(requirement);
    expect(sentPrompts()[0]).toContain("give the file system path or paths asked for");
    expect(sentPrompts()[0]).toContain("JSON array");
  });

  it("test_apathstr: a batch of requirements", async () => {
    answerAlways(codeBlock('["a/b.txt"]'));
    expect(await llm.askPathstr(["first", "second"])).toEqual([["a/b.txt"], ["a/b.txt"]]);
  });

  it.each([
    [codeBlock('["path1"]'), "Generate a path", "path1"],
    [codeBlock('["path2"]'), "Another path requirement", "path2"],
    ["invalid json response", "Invalid path response", null],
  ] as const)("test_awhich_pathstr: %s", async (value, requirement, expected) => {
    answerAlways(value);
    expect(await llm.askWhichPathstr(requirement)).toBe(expected);
  });

  it("test_awhich_pathstr: a batch, and two paths where one is asked for are re-asked", async () => {
    answerAlways(codeBlock('["one", "two"]'));
    expect(await llm.askWhichPathstr(["x", "y"], { maxValidations: 2 })).toEqual([null, null]);
    expect(mock.requestCount).toBe(4);
  });

  it.each([
    [genericBlock("Test output 1"), "Requirement 1", "Test output 1"],
    [genericBlock("Another output"), ["Req1", "Req2"], ["Another output", "Another output"]],
    ["invalid json response", "Req", null],
  ] as const)("test_ageneric_string: %s", async (value, requirement, expected) => {
    answerAlways(value);
    const result =
      typeof requirement === "string"
        ? await llm.genericString(requirement)
        : await llm.genericString(requirement);
    expect(result).toEqual(expected);
  });
});

describe("test_propose.py", () => {
  const task = z.object({
    name: z.string(),
    description: z.string().default(""),
    goals: z.array(z.string()).default([]),
    dependencies: z.array(z.string()).default([]),
  });
  const mockModel = z.object({
    attr1: z.string(),
    attr2: z.number().int(),
    attr: z.array(z.string()),
  });
  const asJsonSchema = <T>(schema: z.ZodType<T>) => ({
    safeParse: (value: unknown) => schema.safeParse(value),
    jsonSchema: () => z.toJSONSchema(schema),
  });

  it.each([
    ["Task", task, { name: "test", description: "", goals: [], dependencies: [] }],
    ["MockModel", mockModel, { attr1: "test", attr2: 1, attr: ["test"] }],
  ] as const)("test_propose: %s, single and a batch of 3", async (_name, schema, value) => {
    answerAlways(JSON.stringify(value, null, 2));
    // The original's path: the schema in the prompt (native structured output is tested apart).
    const prompt = { structuredOutput: "prompt" } as const;
    const proposed = await llm.askJson("test", asJsonSchema(schema as z.ZodType<unknown>), prompt);
    expect(proposed).toEqual(value);
    const proposals = await llm.askJson(
      ["test", "test", "test"],
      asJsonSchema(schema as z.ZodType<unknown>),
      prompt,
    );
    expect(proposals).toEqual([value, value, value]);
    expect(sentPrompts()[0]).toContain('"type": "object"');
  });
});
