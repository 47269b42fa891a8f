import { countTokens } from "../tokens/count-tokens.js";
import type { CompletionRequest } from "../types.js";
import { chatMessagesOf, textOf } from "./normalize.js";

// A rough, fixed cost for an image or document part: providers bill them by pixel or page,
// which the request alone does not tell.
const TOKENS_PER_ATTACHMENT = 85;

/**
 * The prompt tokens of a completion request, as reserved against TPM limits and compared with
 * context windows: every message's text, tool calls' names and arguments, attachments at
 * a fixed cost, and the tool definitions and response schema as JSON.
 */
export function estimatePromptTokens(request: CompletionRequest): number {
  let tokens = 0;
  for (const message of chatMessagesOf(request)) {
    tokens += countTokens(textOf(message.content));
    if (Array.isArray(message.content)) {
      for (const part of message.content) if (part.type !== "text") tokens += TOKENS_PER_ATTACHMENT;
    }
    if (message.role === "assistant") {
      for (const call of message.tool_calls ?? []) {
        tokens += countTokens(call.function.name) + countTokens(call.function.arguments);
      }
    }
  }
  if (request.tools?.length) tokens += countTokens(JSON.stringify(request.tools));
  if (request.response_format?.type === "json_schema") {
    tokens += countTokens(JSON.stringify(request.response_format.json_schema));
  }
  return tokens;
}
