import type { CompletionResponse, Usage } from "@fabricatio/thryd";
import type { ChatResult } from "./types.js";

/** The facade's view of a thryd answer: camelCase, `toolCalls` always an array. */
export function chatResultOf(response: CompletionResponse): ChatResult {
  return {
    content: response.content,
    toolCalls: response.tool_calls ?? [],
    finishReason: response.finish_reason,
    message: response.message,
    usage: response.usage,
  };
}

/** The sum of two usages; `cost` only when either has one. */
export function addUsage(total: Usage, usage: Usage): Usage {
  const cost =
    total.cost === undefined && usage.cost === undefined
      ? undefined
      : (total.cost ?? 0) + (usage.cost ?? 0);
  return {
    prompt_tokens: total.prompt_tokens + usage.prompt_tokens,
    completion_tokens: total.completion_tokens + usage.completion_tokens,
    total_tokens: total.total_tokens + usage.total_tokens,
    ...(cost === undefined ? {} : { cost }),
  };
}
