import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createCompletionRouter,
  createEmbeddingRouter,
  OpenAICompatibleProvider,
  TRACER_NAME,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  trace.disable();
  await provider.shutdown();
});
beforeEach(() => exporter.reset());

const openai = () =>
  new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url });

describe("OpenTelemetry spans", () => {
  it("records a client span per chat call with the GenAI attributes", async () => {
    const chat = createCompletionRouter({ tracing: true }).addProvider(openai());
    chat.deploy("g", "mock/gpt-x");
    await chat.invoke("g", { message: "hello", temperature: 0.2, max_completion_tokens: 64 });
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    const span = spans[0]!;
    expect(span.name).toBe("chat gpt-x");
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.instrumentationScope.name).toBe(TRACER_NAME);
    expect(span.attributes).toEqual({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "mock",
      "gen_ai.request.model": "gpt-x",
      "gen_ai.request.temperature": 0.2,
      "gen_ai.request.max_tokens": 64,
      "gen_ai.usage.input_tokens": 2,
      "gen_ai.usage.output_tokens": 3,
      "thryd.group": "g",
      "thryd.deployment": "mock/gpt-x",
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("marks a failed call with error.type and an error status, one span per attempt", async () => {
    const chat = createCompletionRouter({
      tracing: true,
      retry: { maxRetries: 1 },
      sleep: async () => {},
    }).addProvider(openai());
    chat.deploy("g", "mock/gpt-x");
    mock().script({ type: "error", status: 500 }, { type: "error", status: 500 });
    await expect(chat.invoke("g", { message: "x" })).rejects.toMatchObject({ status: 500 });
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.attributes["error.type"]).toBe("THRYD_API_ERROR_500");
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
    }
  });

  it("names embedding spans `embeddings <model>` and traces streams", async () => {
    const embeddings = createEmbeddingRouter({ tracing: true }).addProvider(openai());
    embeddings.deploy("e", "mock/emb");
    await embeddings.invoke("e", { texts: ["a"], ndim: 4 });
    const chat = createCompletionRouter({ tracing: true }).addProvider(openai());
    chat.deploy("g", "mock/gpt-x");
    for await (const _ of chat.stream("g", { message: "s" })) {
      // drain
    }
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(["embeddings emb", "chat gpt-x"]);
    expect(spans[0]?.attributes["gen_ai.request.model"]).toBe("emb");
    expect(spans[0]?.attributes["gen_ai.embeddings.dimension.count"]).toBe(4);
    expect(spans[1]?.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
  });

  it("records nothing without `tracing`", async () => {
    const chat = createCompletionRouter().addProvider(openai());
    chat.deploy("g", "mock/gpt-x");
    await chat.invoke("g", { message: "x" });
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});
