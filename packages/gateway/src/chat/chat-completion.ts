import type { CompletionResponse, Usage } from "@fabricatio/thryd";

/** OpenAI's usage object: the token counts, without thryd's `cost`. */
export function openAIUsage(usage: Usage) {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
  };
}

/**
 * A router answer as OpenAI's `chat.completion` object: one choice whose message carries the
 * text (`null` when the model only called tools) and the tool calls, the finish reason and the
 * usage. `model` is the routing group the caller named.
 */
export function toChatCompletion(
  response: CompletionResponse,
  meta: { id: string; created: number; model: string },
) {
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: response.tool_calls && response.content === "" ? null : response.content,
          ...(response.tool_calls ? { tool_calls: response.tool_calls } : {}),
          refusal: null,
        },
        logprobs: null,
        finish_reason: response.finish_reason,
      },
    ],
    usage: openAIUsage(response.usage),
  };
}
