import type { RecordedRequest } from "@fabricatio/mock-llm";
import { describe, expect, it } from "vitest";
import { AnthropicProvider } from "../src/index.js";
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

const textOf = (content: Json): string =>
  typeof content === "string"
    ? content
    : (content ?? []).map((block: Json) => (block.type === "text" ? block.text : "")).join("");

function partOf(block: Json): WirePart {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "image":
    case "document":
      if (block.source?.type !== "base64")
        throw new Error(`unexpected source ${block.source?.type}`);
      return {
        type: block.type === "image" ? "image" : "file",
        mediaType: block.source.media_type,
        data: block.source.data,
      };
    case "tool_use":
      return { type: "tool_call", id: block.id, name: block.name, arguments: block.input };
    case "tool_result":
      return { type: "tool_result", id: block.tool_use_id, content: textOf(block.content) };
    default:
      throw new Error(`unexpected block ${block.type}`);
  }
}

function turnOf(message: Json): WireTurn {
  if (message.role !== "user" && message.role !== "assistant") {
    throw new Error(`unexpected role ${message.role}`);
  }
  const parts: WirePart[] =
    typeof message.content === "string"
      ? [{ type: "text", text: message.content }]
      : message.content.map(partOf);
  return { role: message.role, parts };
}

function toolChoiceOf(choice: Json): WireView["toolChoice"] {
  if (choice === undefined) return undefined;
  if (choice.type === "any") return "required";
  if (choice.type === "tool") return { name: choice.name };
  return choice.type;
}

/** Reads a Messages API body into the suite's neutral view. */
function readAnthropicWire(request: RecordedRequest): WireView {
  if (!request.path.endsWith("/v1/messages")) throw new Error(`unexpected path ${request.path}`);
  const body = request.body as Json;
  return {
    system: body.system === undefined ? undefined : textOf(body.system),
    turns: body.messages.map(turnOf),
    tools: (body.tools ?? []).map((tool: Json) => ({
      name: tool.name,
      description: tool.description,
      parameters: tool.input_schema,
    })),
    toolChoice: toolChoiceOf(body.tool_choice),
    responseSchema: body.output_config?.format?.schema,
    stop: body.stop_sequences,
    seed: undefined,
    user: body.metadata?.user_id,
    parallelToolCalls: body.tool_choice?.disable_parallel_tool_use === true ? false : undefined,
    jsonMode: false,
    stream: body.stream === true,
  };
}

const mock = useMockServer();

const anthropic: ConversationAdapter = {
  provider: "anthropic",
  makeModel: (server) =>
    new AnthropicProvider({ apiKey: "sk-ant-mock", baseUrl: server.origin }).createCompletionModel(
      "claude-test",
    ),
  readWire: readAnthropicWire,
  // The Messages API has no seed, and JSON output only with a schema (`output_config.format`).
  unsupported: { seed: "seed", jsonObject: "response_format" },
};

describe("Conversations over the Anthropic wire", { timeout: 30_000 }, () => {
  conversationConformance(it, anthropic, mock);

  it("refuses a conversation of system messages alone before sending it", async () => {
    const model = anthropic.makeModel(mock());
    await expect(
      model.invoke({ messages: [{ role: "system", content: "Only instructions." }] }),
    ).rejects.toMatchObject({
      code: "THRYD_UNSUPPORTED_FEATURE",
      field: "messages",
      provider: "anthropic",
    });
    expect(mock().requestCount).toBe(0);
  });
});
