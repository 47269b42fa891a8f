import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@fabricatio/config";
import { initLogger } from "@fabricatio/logger";
import { McpManager } from "@fabricatio/mcp-manager";
import { type MockLlmServer, type RecordedRequest, startMockLlm } from "@fabricatio/mock-llm";
import type { ChatMessage } from "@fabricatio/thryd";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createLLM,
  defineTool,
  type FabricatioLLM,
  McpServerNotConfiguredError,
  ToolLoopAbortedError,
  ToolLoopMaxStepsError,
} from "../src/index.js";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const everythingBin = path.join(packageDir, "node_modules/.bin/mcp-server-everything");
const temp = mkdtempSync(path.join(tmpdir(), "fabricatio-tools-"));
let mock: MockLlmServer;
let llm: FabricatioLLM;

type Body = Record<string, unknown> & { messages?: Record<string, unknown>[] };
const bodyOf = (request: RecordedRequest | undefined) => request?.body as Body;

/** Pids of this process's live children whose command line mentions `needle`, from /proc. */
function childProcesses(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, parent] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      if (Number(parent) === process.pid && state !== "Z" && commandLine.includes(needle)) {
        found.push(Number(entry));
      }
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** The error `promise` rejects with; a promise that resolves fails the test. */
async function rejectionOf<E>(promise: Promise<unknown>): Promise<E> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ("value" in outcome) throw new Error(`expected a rejection, got ${JSON.stringify(outcome)}`);
  return outcome.error as E;
}

const add = defineTool({
  name: "add",
  description: "Adds two numbers",
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

beforeAll(async () => {
  initLogger({ level: "ERROR", stream: { write() {} } });
  mock = await startMockLlm();
  const config = loadConfig({
    cwd: temp,
    env: {},
    homeDir: temp,
    overrides: {
      llm: { send_to: "chat" },
      mcp: { servers: { everything: { command: everythingBin, args: ["stdio"] } } },
      routing: {
        providers: [
          { ptype: "OpenAICompatible", name: "mock", key: "sk-test", base_url: mock.url },
          { ptype: "Anthropic", name: "claude", key: "sk-ant", base_url: mock.origin },
          { ptype: "Gemini", name: "gemini", key: "gm-key", base_url: mock.origin },
        ],
        completion_deployments: [
          { id: "mock/model-a", group: "chat" },
          { id: "mock/model-b", group: "strictless" },
          { id: "claude/claude-test", group: "claude" },
          { id: "gemini/gemini-test", group: "gemini" },
        ],
      },
    },
  });
  llm = createLLM({ config, cache: false, env: process.env });
});

afterAll(async () => {
  await llm?.close();
  await mock?.close();
  rmSync(temp, { recursive: true, force: true });
});

beforeEach(() => mock.reset());

describe("runTools with a real MCP server over stdio", () => {
  it("starts a configured server, runs the model's get-sum call, sends the result back and closes the server", async () => {
    mock.script(
      { type: "ok", toolCalls: [{ id: "call_1", name: "get-sum", arguments: '{"a":2,"b":3}' }] },
      { type: "ok", content: "2 + 3 is 5." },
    );
    const started: string[] = [];
    const result = await llm.runTools("What is 2 + 3?", {
      tools: ["everything"],
      onToolCall: (call) => started.push(`${call.name} ${call.arguments} ${call.source}`),
    });
    expect(result.content).toBe("2 + 3 is 5.");
    expect(result.finishReason).toBe("stop");
    expect(started).toEqual(['get-sum {"a":2,"b":3} mcp:everything']);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({
      id: "call_1",
      content: "The sum of 2 and 3 is 5.",
      isError: false,
    });
    const [first, second] = mock.requests.map(bodyOf);
    const tools = first?.tools as { function: { name: string; parameters: Body } }[];
    const getSum = tools.find((tool) => tool.function.name === "get-sum");
    expect(getSum?.function.parameters).toMatchObject({
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
    });
    expect(getSum?.function.parameters).not.toHaveProperty("$schema");
    expect(second?.messages?.slice(-2)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "get-sum", arguments: '{"a":2,"b":3}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "The sum of 2 and 3 is 5." },
    ]);
    expect(result.messages).toHaveLength(4);
    expect(result.usage.total_tokens).toBeGreaterThan(0);
    expect(childProcesses("mcp-server-everything")).toEqual([]);
  });

  it("sends an MCP tool's error and arguments that fail its schema back to the model, then goes on", async () => {
    const manager = await McpManager.create({
      servers: { everything: { command: everythingBin, args: ["stdio"] } },
    });
    try {
      mock.script(
        {
          type: "ok",
          toolCalls: [
            { id: "bad_id", name: "get-resource-reference", arguments: '{"resourceId":0.5}' },
            { id: "bad_args", name: "get-sum", arguments: '{"a":"two","b":3}' },
          ],
        },
        { type: "ok", content: "Sorry." },
      );
      const result = await llm.runTools("Fetch resource 0.5 and add two and 3", {
        tools: [manager],
      });
      expect(result.content).toBe("Sorry.");
      const [serverError, schemaError] = result.steps[0]?.toolCalls ?? [];
      expect(serverError?.isError).toBe(true);
      expect(serverError?.content).toMatch(/^Error: .*Invalid resourceId: 0\.5/);
      expect(schemaError?.isError).toBe(true);
      expect(schemaError?.content).toMatch(/^Error: invalid arguments for get-sum:\n- a: /);
      const toolMessages = bodyOf(mock.requests[1])?.messages?.filter(
        (message) => message.role === "tool",
      );
      expect(toolMessages?.map((message) => message.content)).toEqual([
        serverError?.content,
        schemaError?.content,
      ]);
      // The manager passed in stays the caller's: still connected after the run.
      expect(await manager.ping("everything")).toBe(true);
    } finally {
      await manager.close();
    }
  });

  it("stops an MCP call when the loop is aborted and makes no further model call", async () => {
    mock.script({
      type: "ok",
      toolCalls: [
        {
          id: "slow",
          name: "trigger-long-running-operation",
          arguments: '{"duration":30,"steps":1}',
        },
      ],
    });
    const controller = new AbortController();
    const started = performance.now();
    const run = llm.runTools("Run the long operation", {
      tools: ["everything"],
      signal: controller.signal,
      onToolCall: () => setImmediate(() => controller.abort()),
    });
    const error = await rejectionOf<ToolLoopAbortedError>(run);
    expect(error).toBeInstanceOf(ToolLoopAbortedError);
    expect(error.code).toBe("FABRICATIO_TOOL_LOOP_ABORTED");
    expect(error.messages.at(-1)).toMatchObject({ role: "assistant" });
    // The operation takes 30 s; the loop let go long before.
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(mock.requestCount).toBe(1);
    expect(childProcesses("mcp-server-everything")).toEqual([]);
  });

  it("names the configured servers when asked for one that is not", async () => {
    const error = await rejectionOf<McpServerNotConfiguredError>(
      llm.runTools("hi", { tools: ["nope"] }),
    );
    expect(error).toBeInstanceOf(McpServerNotConfiguredError);
    expect(error.server).toBe("nope");
    expect(error.configured).toEqual(["everything"]);
    expect(mock.requestCount).toBe(0);
  });
});

describe("runTools with function tools", () => {
  it("runs a zod-typed tool and a JSON Schema tool, and sends a thrown error back as an error result", async () => {
    const shout = {
      name: "shout",
      parameters: {
        type: "object",
        properties: { text: { type: "string" } },
        required: ["text"],
      },
      execute: ({ text }: Record<string, unknown>) => ({ loud: String(text).toUpperCase() }),
    };
    const broken = {
      name: "broken",
      execute: () => {
        throw new Error("disk on fire");
      },
    };
    mock.script(
      {
        type: "ok",
        toolCalls: [
          { id: "c1", name: "add", arguments: '{"a":1,"b":2}' },
          { id: "c2", name: "shout", arguments: '{"text":"hi"}' },
          { id: "c3", name: "broken", arguments: "{}" },
        ],
      },
      { type: "ok", content: "done" },
    );
    const steps: number[] = [];
    const result = await llm.runTools("go", {
      tools: [add, shout, broken],
      onStep: (step) => steps.push(step.index),
    });
    expect(result.content).toBe("done");
    expect(steps).toEqual([1, 2]);
    expect(result.steps[0]?.toolCalls.map((call) => [call.content, call.isError])).toEqual([
      ["3", false],
      ['{"loud":"HI"}', false],
      ["Error: tool broken failed: disk on fire", true],
    ]);
    const sentTools = bodyOf(mock.requests[0])?.tools as { function: Body }[];
    expect(sentTools.map((tool) => tool.function)).toEqual([
      {
        name: "add",
        description: "Adds two numbers",
        parameters: {
          type: "object",
          properties: { a: { type: "number" }, b: { type: "number" } },
          required: ["a", "b"],
        },
      },
      { name: "shout", parameters: shout.parameters },
      { name: "broken", parameters: { type: "object", properties: {} } },
    ]);
  });

  it("answers an unknown tool and arguments that are not JSON with error results", async () => {
    mock.script(
      {
        type: "ok",
        toolCalls: [
          { id: "u1", name: "subtract", arguments: "{}" },
          { id: "u2", name: "add", arguments: '{"a":1,' },
        ],
      },
      { type: "ok", content: "ok" },
    );
    const result = await llm.runTools("go", { tools: [add] });
    const [unknown, notJson] = result.steps[0]?.toolCalls ?? [];
    expect(unknown?.content).toBe('Error: there is no tool named "subtract"; the tools are: add');
    expect(notJson?.content).toMatch(/^Error: the arguments are not valid JSON \(.*\): \{"a":1,$/);
  });

  it("runs the parallel calls of one answer concurrently: both start before either ends", async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const bothStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    const waiter = (name: string) =>
      defineTool({
        name,
        parameters: { type: "object", properties: {} },
        async execute() {
          events.push(`start ${name}`);
          if (events.filter((event) => event.startsWith("start")).length === 2) release();
          // Run one after the other, the first would wait here until its time limit.
          await bothStarted;
          events.push(`end ${name}`);
          return "ok";
        },
      });
    mock.script(
      {
        type: "ok",
        toolCalls: [
          { id: "p1", name: "first", arguments: "{}" },
          { id: "p2", name: "second", arguments: "{}" },
        ],
      },
      { type: "ok", content: "both" },
    );
    const result = await llm.runTools("go", {
      tools: [waiter("first"), waiter("second")],
      toolTimeoutMs: 10_000,
    });
    expect(events.slice(0, 2).sort()).toEqual(["start first", "start second"]);
    expect(result.steps[0]?.toolCalls.map((call) => call.content)).toEqual(["ok", "ok"]);
  });

  it("ends a runaway loop at maxSteps with the transcript, every call answered", async () => {
    const call = { type: "ok" as const, toolCalls: [{ name: "add", arguments: '{"a":1,"b":1}' }] };
    mock.script(call, call, call);
    const error = await rejectionOf<ToolLoopMaxStepsError>(
      llm.runTools("loop forever", { tools: [add], maxSteps: 2 }),
    );
    expect(error).toBeInstanceOf(ToolLoopMaxStepsError);
    expect(error.code).toBe("FABRICATIO_TOOL_LOOP_MAX_STEPS");
    expect(error.maxSteps).toBe(2);
    expect(mock.requestCount).toBe(2);
    expect(error.messages.map((message) => message.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "assistant",
      "tool",
    ]);
    expect(error.steps).toHaveLength(2);
    // The mock numbers its calls from 0 on every answer; the loop keeps the ids apart.
    expect(error.messages[3]).toMatchObject({ tool_calls: [{ id: "call_mock_0_2_0" }] });
    expect(error.messages[4]).toMatchObject({ tool_call_id: "call_mock_0_2_0" });
    // The transcript is complete, so the loop can go on from it.
    mock.script({ type: "ok", content: "2" });
    const resumed = await llm.runTools(error.messages, { tools: [add] });
    expect(resumed.content).toBe("2");
  });

  it("aborts mid-tool: the tool sees the signal, the loop rejects, no model call follows", async () => {
    let toolStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      toolStarted = resolve;
    });
    let sawAbort = false;
    const wait = defineTool({
      name: "wait",
      parameters: { type: "object", properties: {} },
      execute: (_args, { signal }) =>
        new Promise((resolve) => {
          signal.addEventListener("abort", () => {
            sawAbort = true;
            resolve("stopped");
          });
          toolStarted();
        }),
    });
    mock.script({ type: "ok", toolCalls: [{ id: "w", name: "wait", arguments: "{}" }] });
    const controller = new AbortController();
    const run = llm.runTools("wait", { tools: [wait], signal: controller.signal });
    await started;
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(ToolLoopAbortedError);
    expect(sawAbort).toBe(true);
    expect(mock.requestCount).toBe(1);
  });

  it("sends a tool that outlives toolTimeoutMs back as an error result and signals it", async () => {
    let sawAbort = false;
    const stuck = defineTool({
      name: "stuck",
      parameters: { type: "object", properties: {} },
      execute: (_args, { signal }) =>
        new Promise(() => {
          signal.addEventListener("abort", () => {
            sawAbort = true;
          });
        }),
    });
    mock.script(
      { type: "ok", toolCalls: [{ id: "s", name: "stuck", arguments: "{}" }] },
      { type: "ok", content: "gave up" },
    );
    const result = await llm.runTools("go", { tools: [stuck], toolTimeoutMs: 50 });
    expect(result.steps[0]?.toolCalls[0]?.content).toBe("Error: tool stuck timed out after 50 ms");
    expect(sawAbort).toBe(true);
  });
});

describe("every provider dialect", () => {
  const history: ChatMessage[] = [
    { role: "user", content: "My name is Ada." },
    { role: "assistant", content: "Hello Ada." },
  ];

  it("sends a system prompt and history in each dialect's own shape", async () => {
    for (const group of ["chat", "claude", "gemini"]) {
      mock.script({ type: "ok", content: "You are Ada." });
      expect(await llm.ask("Who am I?", { sendTo: group, system: "Be terse.", history })).toBe(
        "You are Ada.",
      );
    }
    const [openai, anthropic, gemini] = mock.requests.map(bodyOf);
    expect(openai?.messages).toEqual([
      { role: "system", content: "Be terse." },
      { role: "user", content: "My name is Ada." },
      { role: "assistant", content: "Hello Ada." },
      { role: "user", content: "Who am I?" },
    ]);
    expect(anthropic?.system).toBe("Be terse.");
    expect(anthropic?.messages).toEqual([
      { role: "user", content: "My name is Ada." },
      { role: "assistant", content: "Hello Ada." },
      { role: "user", content: "Who am I?" },
    ]);
    expect(gemini?.systemInstruction).toEqual({ parts: [{ text: "Be terse." }] });
    expect(gemini?.contents).toEqual([
      { role: "user", parts: [{ text: "My name is Ada." }] },
      { role: "model", parts: [{ text: "Hello Ada." }] },
      { role: "user", parts: [{ text: "Who am I?" }] },
    ]);
  });

  it("runs the tool loop through each dialect's tool calls and results", async () => {
    for (const group of ["chat", "claude", "gemini"]) {
      mock.reset();
      mock.script(
        { type: "ok", toolCalls: [{ name: "add", arguments: '{"a":20,"b":22}' }] },
        { type: "ok", content: "42" },
      );
      const result = await llm.runTools("20 + 22?", { sendTo: group, tools: [add] });
      expect(result.content).toBe("42");
      expect(result.steps[0]?.toolCalls[0]?.content).toBe("42");
      const resultTurn = JSON.stringify(bodyOf(mock.requests[1]));
      if (group === "chat") expect(resultTurn).toContain('"role":"tool"');
      if (group === "claude") expect(resultTurn).toContain('"type":"tool_result"');
      if (group === "gemini") expect(resultTurn).toContain('"functionResponse"');
    }
  });

  it("chat returns the tool calls without running them", async () => {
    mock.script({ type: "ok", toolCalls: [{ id: "x", name: "add", arguments: '{"a":1,"b":2}' }] });
    const result = await llm.chat([{ role: "user", content: "1 + 2?" }], {
      tools: [{ type: "function", function: { name: "add", parameters: { type: "object" } } }],
      toolChoice: { type: "function", function: { name: "add" } },
    });
    expect(result.finishReason).toBe("tool_calls");
    expect(result.toolCalls).toEqual([
      { id: "x", type: "function", function: { name: "add", arguments: '{"a":1,"b":2}' } },
    ]);
    expect(bodyOf(mock.requests[0])?.tool_choice).toEqual({
      type: "function",
      function: { name: "add" },
    });
  });
});

describe("askJson on the wire", () => {
  const book = z.object({ title: z.string(), pages: z.number().int() });

  it("sends the schema as native structured output in each dialect", async () => {
    for (const group of ["chat", "claude", "gemini"]) {
      mock.script({ type: "ok", content: '{"title":"Dune","pages":412}' });
      expect(await llm.askJson("A famous book", book, { sendTo: group })).toEqual({
        title: "Dune",
        pages: 412,
      });
    }
    const [openai, anthropic, gemini] = mock.requests.map(bodyOf);
    expect(openai?.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: "answer", strict: true, schema: { required: ["title", "pages"] } },
    });
    expect(openai?.messages).toEqual([{ role: "user", content: "A famous book" }]);
    expect(anthropic?.output_config).toMatchObject({
      format: { type: "json_schema", schema: { required: ["title", "pages"] } },
    });
    expect(gemini?.generationConfig).toMatchObject({
      responseMimeType: "application/json",
      responseJsonSchema: { required: ["title", "pages"] },
    });
  });

  it("falls back to the prompt when the provider answers 400 to the schema, for later calls too", async () => {
    mock.script(
      {
        type: "error",
        status: 400,
        body: JSON.stringify({
          error: {
            message: "response_format json_schema is not supported",
            type: "invalid_request_error",
          },
        }),
      },
      { type: "ok", content: '```json\n{"title":"Dune","pages":412}\n```' },
      { type: "ok", content: '{"title":"Emma","pages":474}' },
    );
    expect(await llm.askJson("A famous book", book, { sendTo: "strictless" })).toEqual({
      title: "Dune",
      pages: 412,
    });
    expect(await llm.askJson("Another", book, { sendTo: "strictless" })).toEqual({
      title: "Emma",
      pages: 474,
    });
    const bodies = mock.requests.map(bodyOf);
    expect(bodies.map((body) => "response_format" in body)).toEqual([true, false, false]);
    expect(JSON.stringify(bodies[1]?.messages)).toContain('\\"pages\\"');
  });
});

describe("runTools options", () => {
  it("refuses maxSteps below 1 and a system prompt beside a conversation", async () => {
    await expect(llm.runTools("x", { tools: [add], maxSteps: 0 })).rejects.toThrow(
      /maxSteps must be a whole number from 1, got 0/,
    );
    await expect(
      llm.runTools([{ role: "user", content: "x" }], { tools: [add], system: "s" }),
    ).rejects.toThrow(/system applies to a question/);
    await expect(llm.runTools("x", { tools: [add, add] })).rejects.toThrow(
      /two tools named "add" \(from function and function\)/,
    );
    expect(mock.requestCount).toBe(0);
  });
});

describe("the child processes", () => {
  it("are all gone", () => {
    expect(childProcesses("mcp-server-everything")).toEqual([]);
  });
});
