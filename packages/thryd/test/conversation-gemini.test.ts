import type { RecordedRequest } from "@fabricatio/mock-llm";
import { describe, expect, it } from "vitest";
import { GeminiProvider } from "../src/index.js";
import {
  type ConversationAdapter,
  conversationConformance,
  type WirePart,
  type WireTurn,
  type WireView,
} from "./conversation-conformance.js";
import { useMockServer } from "./mock-server.js";

// biome-ignore lint/suspicious/noExplicitAny: reads a recorded JSON body of any shape
type Json = any;

function partOf(part: Json): WirePart {
  if (typeof part.text === "string") return { type: "text", text: part.text };
  if (part.inlineData) {
    const { mimeType, data } = part.inlineData;
    return { type: mimeType.startsWith("image/") ? "image" : "file", mediaType: mimeType, data };
  }
  if (part.functionCall) {
    return { type: "tool_call", name: part.functionCall.name, arguments: part.functionCall.args };
  }
  if (part.functionResponse) {
    const { name, response } = part.functionResponse;
    return { type: "tool_result", name, content: String(response?.output ?? "") };
  }
  throw new Error(`unexpected part ${Object.keys(part).join(",")}`);
}

function turnOf(content: Json): WireTurn {
  if (content.role !== "user" && content.role !== "model") {
    throw new Error(`unexpected role ${content.role}`);
  }
  return {
    role: content.role === "model" ? "assistant" : "user",
    parts: content.parts.map(partOf),
  };
}

function toolChoiceOf(toolConfig: Json): WireView["toolChoice"] {
  const config = toolConfig?.functionCallingConfig;
  if (config === undefined) return undefined;
  if (config.mode === "ANY") {
    return config.allowedFunctionNames?.length === 1
      ? { name: config.allowedFunctionNames[0] }
      : "required";
  }
  return config.mode === "NONE" ? "none" : "auto";
}

/** Reads a `generateContent` / `streamGenerateContent` body into the suite's neutral view. */
function readGeminiWire(request: RecordedRequest): WireView {
  const stream = request.path.includes(":streamGenerateContent");
  if (!stream && !request.path.includes(":generateContent")) {
    throw new Error(`unexpected path ${request.path}`);
  }
  const body = request.body as Json;
  const config = body.generationConfig ?? {};
  const system = body.systemInstruction?.parts?.map((part: Json) => part.text);
  return {
    system: system === undefined ? undefined : system.join("\n"),
    turns: body.contents.map(turnOf),
    tools: (body.tools ?? []).flatMap((tool: Json) =>
      (tool.functionDeclarations ?? []).map((declaration: Json) => ({
        name: declaration.name,
        description: declaration.description,
        parameters: declaration.parametersJsonSchema,
      })),
    ),
    toolChoice: toolChoiceOf(body.toolConfig),
    responseSchema: config.responseJsonSchema,
    stop: config.stopSequences,
    seed: config.seed,
    user: undefined,
    parallelToolCalls: undefined,
    jsonMode: config.responseMimeType === "application/json" && !config.responseJsonSchema,
    stream: stream && request.path.endsWith("alt=sse"),
  };
}

const mock = useMockServer();

const gemini: ConversationAdapter = {
  provider: "gemini",
  makeModel: (server) =>
    new GeminiProvider({ apiKey: "AIza-mock", baseUrl: server.origin }).createCompletionModel(
      "gemini-test",
    ),
  readWire: readGeminiWire,
  // generateContent has no end-user id and cannot be held to one call per turn.
  unsupported: { user: "user", sequentialToolCalls: "parallel_tool_calls" },
  hasToolCallIds: false,
  splitsToolArguments: false,
};

describe("Conversations over the Gemini wire", { timeout: 30_000 }, () => {
  conversationConformance(it, gemini, mock);

  it("refuses a conversation of system messages alone before sending it", async () => {
    const model = gemini.makeModel(mock());
    await expect(
      model.invoke({ messages: [{ role: "system", content: "Only instructions." }] }),
    ).rejects.toMatchObject({
      code: "THRYD_UNSUPPORTED_FEATURE",
      field: "messages",
      provider: "gemini",
    });
    expect(mock().requestCount).toBe(0);
  });
});
