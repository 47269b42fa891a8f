import { InvalidRequestError, UnsupportedFeatureError } from "../errors/request-errors.js";
import type { CompletionRequest, ContentPart, TextPart, ToolChoice } from "../types.js";
import { toImageSource } from "./image-source.js";
import { nativeConversationOf } from "./native-conversation.js";
import { thinkingBudgetOf } from "./thinking-budget.js";
import { toolInputOf } from "./tool-input.js";

const PROVIDER = "gemini";

type Part = Record<string, unknown>;

/** One turn of a `generateContent` conversation. */
export interface GeminiContent {
  role: "user" | "model";
  parts: Part[];
}

// Gemini reads any MIME type it supports from inline data (images, PDFs, audio, text) and
// files by URI; the API, not thryd, refuses a type it cannot read.
function attachmentPart(url: string): Part {
  const source = toImageSource(url);
  return source.type === "base64"
    ? { inlineData: { mimeType: source.mimeType, data: source.data } }
    : { fileData: { mimeType: source.mimeType, fileUri: source.url } };
}

function userPart(part: ContentPart, field: string): Part {
  switch (part.type) {
    case "text":
      return { text: part.text };
    case "image_url":
      return attachmentPart(part.image_url.url);
    case "file":
      if (part.file.file_id !== undefined) {
        throw new UnsupportedFeatureError(
          `${field}.file.file_id`,
          PROVIDER,
          "OpenAI file ids mean nothing to Gemini: send the file as file_data",
        );
      }
      return attachmentPart(part.file.file_data ?? "");
  }
}

const textOfParts = (content: string | readonly TextPart[] | null | undefined): string =>
  typeof content === "string" ? content : (content ?? []).map((part) => part.text).join("");

/** Options of {@link toGeminiContents}. */
export interface GeminiContentsOptions {
  /** The thought signature Gemini sent with a tool call, by our tool call id, if known. */
  thoughtSignatureOf?: (toolCallId: string) => string | undefined;
}

/**
 * The `generateContent` form of the request's conversation: leading system messages as
 * `systemInstruction`, assistant turns as `model` contents with `functionCall` parts, tool
 * results as `functionResponse` parts (named after the call they answer, since Gemini matches
 * by name), consecutive turns of one role merged.
 * @throws {UnsupportedFeatureError} for a part or field with no Gemini form
 * @throws {InvalidRequestError} when tool call arguments are not a JSON object, or a tool
 * message answers no earlier call
 */
export function toGeminiContents(
  request: CompletionRequest,
  options: GeminiContentsOptions = {},
): { systemInstruction: { parts: Part[] } | undefined; contents: GeminiContent[] } {
  const conversation = nativeConversationOf(request, PROVIDER);
  const contents: GeminiContent[] = [];
  const callNames = new Map<string, string>();
  const push = (content: GeminiContent) => {
    const previous = contents.at(-1);
    if (previous?.role === content.role) previous.parts.push(...content.parts);
    else contents.push(content);
  };
  for (const { message, index } of conversation.turns) {
    const at = `messages[${index}]`;
    switch (message.role) {
      case "user":
        push({
          role: "user",
          parts:
            typeof message.content === "string"
              ? [{ text: message.content }]
              : message.content.map((part, partIndex) =>
                  userPart(part, `${at}.content[${partIndex}]`),
                ),
        });
        break;
      case "tool": {
        const name = callNames.get(message.tool_call_id);
        if (name === undefined) {
          throw new InvalidRequestError(
            `${at}.tool_call_id`,
            `"${message.tool_call_id}" answers no tool call of an earlier assistant message`,
          );
        }
        push({
          role: "user",
          parts: [
            {
              functionResponse: { name, response: { output: textOfParts(message.content) } },
            },
          ],
        });
        break;
      }
      case "assistant": {
        const text = textOfParts(message.content);
        const calls = message.tool_calls ?? [];
        for (const call of calls) callNames.set(call.id, call.function.name);
        push({
          role: "model",
          parts: [
            ...(text === "" ? [] : [{ text }]),
            ...calls.map((call, callIndex) => {
              const signature = options.thoughtSignatureOf?.(call.id);
              return {
                functionCall: {
                  name: call.function.name,
                  args: toolInputOf(
                    call.function.arguments,
                    `${at}.tool_calls[${callIndex}].function.arguments`,
                  ),
                },
                ...(signature === undefined ? {} : { thoughtSignature: signature }),
              };
            }),
          ],
        });
      }
    }
  }
  return {
    systemInstruction:
      conversation.system.length > 0
        ? { parts: conversation.system.map((text) => ({ text })) }
        : undefined,
    contents,
  };
}

function toolConfigOf(choice: ToolChoice | undefined) {
  if (choice === undefined) return undefined;
  if (typeof choice === "object") {
    return {
      functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.function.name] },
    };
  }
  const mode = { auto: "AUTO", none: "NONE", required: "ANY" }[choice];
  return { functionCallingConfig: { mode } };
}

/**
 * The JSON body of a `generateContent` call for `request`. Tool parameters and the response
 * schema are sent as JSON Schema (`parametersJsonSchema`, `responseJsonSchema`), unconverted;
 * `effort` becomes `thinkingConfig.thinkingBudget` ({@link THINKING_BUDGET_TOKENS}).
 * `generationConfig` is left out when no field is set.
 * @throws {UnsupportedFeatureError} for `user`, `parallel_tool_calls: false` and OpenAI file ids
 * @throws {InvalidRequestError} when tool call arguments are not a JSON object
 */
export function buildGeminiBody(request: CompletionRequest, options: GeminiContentsOptions = {}) {
  if (request.user !== undefined) {
    throw new UnsupportedFeatureError("user", PROVIDER, "generateContent has no end-user id");
  }
  if (request.parallel_tool_calls === false) {
    throw new UnsupportedFeatureError(
      "parallel_tool_calls",
      PROVIDER,
      "Gemini cannot be told to make at most one call per turn",
    );
  }
  const { systemInstruction, contents } = toGeminiContents(request, options);
  const format = request.response_format;
  const stop = request.stop;
  const generationConfig = {
    temperature: request.temperature,
    topP: request.top_p,
    maxOutputTokens: request.max_completion_tokens,
    presencePenalty: request.presence_penalty,
    frequencyPenalty: request.frequency_penalty,
    stopSequences: stop === undefined ? undefined : typeof stop === "string" ? [stop] : stop,
    seed: request.seed,
    responseMimeType:
      format?.type === "json_object" || format?.type === "json_schema"
        ? "application/json"
        : undefined,
    responseJsonSchema: format?.type === "json_schema" ? format.json_schema.schema : undefined,
    thinkingConfig:
      request.effort === undefined
        ? undefined
        : { thinkingBudget: thinkingBudgetOf(request.effort, PROVIDER) },
  };
  const hasConfig = Object.values(generationConfig).some((value) => value !== undefined);
  return {
    contents,
    systemInstruction,
    tools: request.tools?.length
      ? [
          {
            functionDeclarations: request.tools.map((tool) => ({
              name: tool.function.name,
              description: tool.function.description,
              parametersJsonSchema: tool.function.parameters,
            })),
          },
        ]
      : undefined,
    toolConfig: toolConfigOf(request.tool_choice),
    ...(hasConfig ? { generationConfig } : {}),
  };
}
