import { chatMessagesOf } from "../chat/normalize.js";
import { UnsupportedFeatureError } from "../errors/request-errors.js";
import type {
  ChatMessage,
  CompletionRequest,
  SystemMessage,
  TextPart,
  UserMessage,
} from "../types.js";

/** A conversation split the way native APIs want it: instructions apart from the turns. */
export interface NativeConversation {
  /** The leading system and developer messages' texts, in order. */
  system: string[];
  /** The other messages, each with its index in the request's `messages`. */
  turns: { message: Exclude<ChatMessage, SystemMessage>; index: number }[];
}

function systemText(content: string | readonly TextPart[]): string {
  return typeof content === "string" ? content : content.map((part) => part.text).join("");
}

/**
 * The request's conversation for a native API. The `message` shorthand puts its images before
 * the text, as Anthropic and Google advise. System (and developer) messages are accepted only
 * before the first other message: native APIs take instructions once, at the top, and moving a
 * later one there would change what it means. `name` has no native field.
 * @throws {UnsupportedFeatureError} for a later system message, a message `name`, or a
 * conversation of system messages only
 */
export function nativeConversationOf(
  request: CompletionRequest,
  provider: string,
): NativeConversation {
  const messages: readonly ChatMessage[] =
    request.messages === undefined && request.images?.length
      ? [
          {
            role: "user",
            content: [
              ...request.images.map((url) => ({ type: "image_url" as const, image_url: { url } })),
              { type: "text", text: request.message },
            ],
          } satisfies UserMessage,
        ]
      : chatMessagesOf(request);
  const conversation: NativeConversation = { system: [], turns: [] };
  messages.forEach((message: ChatMessage, index) => {
    if (message.role !== "tool" && message.name !== undefined) {
      throw new UnsupportedFeatureError(
        `messages[${index}].name`,
        provider,
        "participant names have no field in this API",
      );
    }
    if (message.role === "system" || message.role === "developer") {
      if (conversation.turns.length > 0) {
        throw new UnsupportedFeatureError(
          `messages[${index}]`,
          provider,
          `a ${message.role} message after the conversation started: instructions go only at the top`,
        );
      }
      conversation.system.push(systemText(message.content));
      return;
    }
    conversation.turns.push({ message: message as Exclude<ChatMessage, SystemMessage>, index });
  });
  // OpenAI answers a conversation of instructions alone; the Messages API and generateContent
  // refuse an empty `messages` / `contents` with a 400 once the request has been sent and counted.
  if (conversation.turns.length === 0) {
    throw new UnsupportedFeatureError(
      "messages",
      provider,
      "system instructions alone: this API needs at least one user turn",
    );
  }
  return conversation;
}
