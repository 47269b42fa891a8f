import type { Usage } from "../types.js";

/** A usage of zero tokens. */
export function emptyUsage(): Usage {
  return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
}

/** Usage from prompt and completion token counts. */
export function usageOf(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

/** Reads a provider's usage object, tolerating missing fields. */
export function readUsage(value: unknown): Usage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const raw = value as Partial<Record<keyof Usage, unknown>>;
  const prompt = Number(raw.prompt_tokens ?? 0) || 0;
  const completion = Number(raw.completion_tokens ?? 0) || 0;
  const total = Number(raw.total_tokens ?? prompt + completion) || 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
}

/** Sums usages field by field. */
export function addUsage(left: Usage, right: Usage): Usage {
  return {
    prompt_tokens: left.prompt_tokens + right.prompt_tokens,
    completion_tokens: left.completion_tokens + right.completion_tokens,
    total_tokens: left.total_tokens + right.total_tokens,
  };
}
