import { InvalidRequestError } from "../errors/request-errors.js";
import type {
  AssistantMessage,
  ChatMessage,
  CompletionRequest,
  ContentPart,
  TextPart,
  ToolCall,
} from "../types.js";

const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);
const PART_TYPES = new Set(["text", "image_url", "file"]);
const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

function checkContent(
  content: unknown,
  field: string,
  allowed: ReadonlySet<string>,
  optional = false,
): void {
  if (typeof content === "string") return;
  if (content === undefined || content === null) {
    if (optional) return;
    throw new InvalidRequestError(field, "is required");
  }
  if (!Array.isArray(content)) {
    throw new InvalidRequestError(field, "must be a string or an array of content parts");
  }
  content.forEach((part: Partial<ContentPart> | undefined, index) => {
    const at = `${field}[${index}]`;
    if (typeof part !== "object" || part === null || !PART_TYPES.has(String(part.type))) {
      throw new InvalidRequestError(`${at}.type`, `must be one of ${[...allowed].join(", ")}`);
    }
    if (!allowed.has(part.type as string)) {
      throw new InvalidRequestError(`${at}.type`, `"${part.type}" is not allowed here`);
    }
    if (part.type === "text" && typeof part.text !== "string") {
      throw new InvalidRequestError(`${at}.text`, "must be a string");
    }
    if (part.type === "image_url" && typeof part.image_url?.url !== "string") {
      throw new InvalidRequestError(`${at}.image_url.url`, "must be a string");
    }
    if (
      part.type === "file" &&
      typeof part.file?.file_data !== "string" &&
      typeof part.file?.file_id !== "string"
    ) {
      throw new InvalidRequestError(`${at}.file`, "needs file_data (a data: URI) or file_id");
    }
  });
}

const TEXT_ONLY = new Set(["text"]);
const ANY_PART = PART_TYPES;

function checkMessage(message: ChatMessage, index: number, toolCallIds: Set<string>): void {
  const at = `messages[${index}]`;
  if (typeof message !== "object" || message === null) {
    throw new InvalidRequestError(at, "must be a message object");
  }
  if (!ROLES.has(message.role)) {
    throw new InvalidRequestError(
      `${at}.role`,
      `must be system, developer, user, assistant or tool (got ${JSON.stringify(message.role)})`,
    );
  }
  switch (message.role) {
    case "system":
    case "developer":
      checkContent(message.content, `${at}.content`, TEXT_ONLY);
      return;
    case "user":
      checkContent(message.content, `${at}.content`, ANY_PART);
      return;
    case "tool":
      if (typeof message.tool_call_id !== "string" || message.tool_call_id === "") {
        throw new InvalidRequestError(`${at}.tool_call_id`, "is required on a tool message");
      }
      checkContent(message.content, `${at}.content`, TEXT_ONLY);
      return;
    case "assistant": {
      checkContent(message.content, `${at}.content`, TEXT_ONLY, true);
      const calls = message.tool_calls ?? [];
      if (!Array.isArray(calls)) {
        throw new InvalidRequestError(`${at}.tool_calls`, "must be an array");
      }
      calls.forEach((call: ToolCall, callIndex) => {
        const callAt = `${at}.tool_calls[${callIndex}]`;
        if (typeof call?.id !== "string" || call.id === "") {
          throw new InvalidRequestError(`${callAt}.id`, "is required");
        }
        if (typeof call.function?.name !== "string") {
          throw new InvalidRequestError(`${callAt}.function.name`, "is required");
        }
        if (typeof call.function.arguments !== "string") {
          throw new InvalidRequestError(
            `${callAt}.function.arguments`,
            "must be the arguments' JSON text (a string)",
          );
        }
        toolCallIds.add(call.id);
      });
      if ((message.content ?? "") === "" && calls.length === 0) {
        throw new InvalidRequestError(at, "an assistant message needs content or tool_calls");
      }
    }
  }
}

/**
 * Checks a completion request's shape before anything is sent or counted.
 * @throws {InvalidRequestError} naming the offending field
 */
export function validateCompletionRequest(request: CompletionRequest): void {
  const hasMessage = request.message !== undefined;
  const hasMessages = request.messages !== undefined;
  if (hasMessage === hasMessages) {
    throw new InvalidRequestError(
      hasMessage ? "message/messages" : "message",
      hasMessage
        ? "are both set: pass exactly one of them"
        : "is missing: pass `message` (a string) or `messages` (a conversation)",
    );
  }
  if (hasMessage) {
    if (typeof request.message !== "string") {
      throw new InvalidRequestError("message", "must be a string");
    }
  } else {
    if (request.images !== undefined) {
      throw new InvalidRequestError(
        "images",
        "is only for the `message` shorthand: with `messages`, put images in a user message as image_url parts",
      );
    }
    if (!Array.isArray(request.messages) || request.messages.length === 0) {
      throw new InvalidRequestError("messages", "must be a non-empty array");
    }
    const toolCallIds = new Set<string>();
    request.messages.forEach((message, index) => {
      checkMessage(message, index, toolCallIds);
    });
    request.messages.forEach((message, index) => {
      if (message.role === "tool" && !toolCallIds.has(message.tool_call_id)) {
        throw new InvalidRequestError(
          `messages[${index}].tool_call_id`,
          `"${message.tool_call_id}" answers no tool call of an earlier assistant message`,
        );
      }
    });
  }
  request.tools?.forEach((tool, index) => {
    if (tool?.type !== "function" || typeof tool.function?.name !== "string") {
      throw new InvalidRequestError(
        `tools[${index}]`,
        'must be { type: "function", function: { name } }',
      );
    }
    if (!NAME_PATTERN.test(tool.function.name)) {
      throw new InvalidRequestError(
        `tools[${index}].function.name`,
        `"${tool.function.name}" must match ${NAME_PATTERN.source}`,
      );
    }
  });
  const choice = request.tool_choice;
  if (typeof choice === "object" && choice !== null) {
    const name = choice.function?.name;
    if (!request.tools?.some((tool) => tool.function.name === name)) {
      throw new InvalidRequestError("tool_choice.function.name", `"${name}" is not in tools`);
    }
  } else if (choice === "required" && !request.tools?.length) {
    throw new InvalidRequestError("tool_choice", '"required" needs at least one tool');
  }
  const format = request.response_format;
  if (format?.type === "json_schema") {
    const name = format.json_schema?.name;
    if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
      throw new InvalidRequestError(
        "response_format.json_schema.name",
        `must match ${NAME_PATTERN.source}`,
      );
    }
    if (typeof format.json_schema.schema !== "object" || format.json_schema.schema === null) {
      throw new InvalidRequestError(
        "response_format.json_schema.schema",
        "must be a JSON Schema object",
      );
    }
  }
}

/** The request as a conversation: `messages` as given, or the shorthand as one user message. */
export function chatMessagesOf(request: CompletionRequest): readonly ChatMessage[] {
  if (request.messages !== undefined) return request.messages;
  const images = request.images ?? [];
  if (images.length === 0) return [{ role: "user", content: request.message }];
  return [
    {
      role: "user",
      content: [
        { type: "text", text: request.message },
        ...images.map((url) => ({ type: "image_url" as const, image_url: { url } })),
      ],
    },
  ];
}

/** The text of a message's content: a string as is, text parts joined, other parts left out. */
export function textOf(
  content: string | readonly (TextPart | ContentPart)[] | null | undefined,
): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  let text = "";
  for (const part of content) if (part.type === "text") text += part.text;
  return text;
}

/** The assistant message of an answer: `content` null when the model only called tools. */
export function assistantMessageOf(
  content: string,
  toolCalls: readonly ToolCall[],
): AssistantMessage {
  return toolCalls.length > 0
    ? { role: "assistant", content: content === "" ? null : content, tool_calls: toolCalls }
    : { role: "assistant", content };
}
