import type {
  AssistantMessage,
  ChatMessage,
  CompletionRequest,
  ContentPart,
  TextPart,
  ToolCall,
} from "../types.js";

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
