import type { RecordedRequest } from "@fabricatio/mock-llm";
import { describe, it } from "vitest";
import { OpenAICompatibleProvider } from "../src/index.js";
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
    : (content ?? []).map((part: Json) => (part.type === "text" ? part.text : "")).join("");

function dataUri(uri: string): { mediaType: string; data: string } {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(uri);
  if (!match) throw new Error(`not a base64 data URI: ${uri.slice(0, 40)}`);
  return { mediaType: match[1]!, data: match[2]! };
}

function userParts(content: Json): WirePart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return content.map((part: Json): WirePart => {
    if (part.type === "text") return { type: "text", text: part.text };
    if (part.type === "image_url") return { type: "image", ...dataUri(part.image_url.url) };
    if (part.type === "file") return { type: "file", ...dataUri(part.file.file_data) };
    throw new Error(`unexpected content part ${part.type}`);
  });
}

function turnOf(message: Json): WireTurn {
  switch (message.role) {
    case "user":
      return { role: "user", parts: userParts(message.content) };
    case "tool":
      return {
        role: "user",
        parts: [
          { type: "tool_result", id: message.tool_call_id, content: textOf(message.content) },
        ],
      };
    case "assistant": {
      const text = textOf(message.content);
      return {
        role: "assistant",
        parts: [
          ...(text ? [{ type: "text" as const, text }] : []),
          ...(message.tool_calls ?? []).map(
            (call: Json): WirePart => ({
              type: "tool_call",
              id: call.id,
              name: call.function.name,
              arguments: JSON.parse(call.function.arguments),
            }),
          ),
        ],
      };
    }
    default:
      throw new Error(`unexpected role ${message.role}`);
  }
}

/** Reads a `chat/completions` body into the suite's neutral view. */
function readOpenAIWire(request: RecordedRequest): WireView {
  if (!request.path.endsWith("/chat/completions"))
    throw new Error(`unexpected path ${request.path}`);
  const body = request.body as Json;
  const isSystem = (message: Json) => message.role === "system" || message.role === "developer";
  const system = body.messages.filter(isSystem).map((message: Json) => textOf(message.content));
  const choice = body.tool_choice;
  return {
    system: system.length > 0 ? system.join("\n") : undefined,
    turns: body.messages.filter((message: Json) => !isSystem(message)).map(turnOf),
    tools: (body.tools ?? []).map((tool: Json) => ({
      name: tool.function.name,
      description: tool.function.description,
      parameters: tool.function.parameters,
    })),
    toolChoice: typeof choice === "object" ? { name: choice.function.name } : choice,
    responseSchema:
      body.response_format?.type === "json_schema"
        ? body.response_format.json_schema.schema
        : undefined,
    stop: body.stop === undefined ? undefined : [body.stop].flat(),
    seed: body.seed,
    user: body.user,
    parallelToolCalls: body.parallel_tool_calls === false ? false : undefined,
    jsonMode: body.response_format?.type === "json_object",
    stream: body.stream === true,
  };
}

const mock = useMockServer();

const openai: ConversationAdapter = {
  provider: "openai",
  makeModel: (server) =>
    new OpenAICompatibleProvider({
      name: "mock",
      apiKey: "sk-mock",
      baseUrl: server.url,
    }).createCompletionModel("gpt-test"),
  readWire: readOpenAIWire,
};

describe("Conversations over the OpenAI wire", { timeout: 30_000 }, () => {
  conversationConformance(it, openai, mock);
});
