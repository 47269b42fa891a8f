// Shape checks of answers, applied where an answer enters the router from outside its control:
// a cache entry (another version, another process, a hand-edited store) and a custom model's
// response. Each returns what is wrong, or `undefined` when the value has the kind's shape.

const FINISH_REASONS: ReadonlySet<unknown> = new Set([
  "stop",
  "length",
  "tool_calls",
  "content_filter",
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isCount = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) && value >= 0;

function usageProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "usage is not an object";
  for (const field of ["prompt_tokens", "completion_tokens", "total_tokens"]) {
    if (!isCount(value[field])) return `usage.${field} is not a token count`;
  }
  return undefined;
}

function toolCallsProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return "tool_calls is not an array";
  for (const [index, call] of value.entries()) {
    const fn = isObject(call) ? call.function : undefined;
    if (
      !isObject(call) ||
      typeof call.id !== "string" ||
      call.id === "" ||
      !isObject(fn) ||
      typeof fn.name !== "string" ||
      fn.name === "" ||
      typeof fn.arguments !== "string"
    ) {
      return `tool_calls[${index}] lacks an id, a function name or its arguments text`;
    }
  }
  return undefined;
}

/**
 * What is wrong with `value` as a `CompletionResponse`: `content` a string, a known
 * `finish_reason`, a usage of token counts, an assistant `message`, well-formed `tool_calls`.
 */
export function completionProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "not an object";
  if (typeof value.content !== "string") return "content is not a string";
  if (!FINISH_REASONS.has(value.finish_reason)) {
    return `finish_reason ${JSON.stringify(value.finish_reason ?? null)} is not a known reason`;
  }
  if (!isObject(value.message) || value.message.role !== "assistant") {
    return "message is not an assistant message";
  }
  return usageProblem(value.usage) ?? toolCallsProblem(value.tool_calls);
}

/** What is wrong with `value` as a cached completion: a filtered answer is never cached. */
export function cachedCompletionProblem(value: unknown): string | undefined {
  const problem = completionProblem(value);
  if (problem !== undefined) return problem;
  return (value as { finish_reason: unknown }).finish_reason === "content_filter"
    ? "a filtered answer is never cached"
    : undefined;
}

/** What is wrong with `value` as one embedding vector: a non-empty array of finite numbers. */
export function vectorProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return "not a non-empty array";
  for (const component of value) {
    if (typeof component !== "number" || !Number.isFinite(component)) {
      return "has a component that is not a finite number";
    }
  }
  return undefined;
}

/**
 * What is wrong with `value` as a `RerankResponse` for `documentCount` documents: rankings of
 * `[index, score]` with an index into the documents and a finite score, and a usage.
 */
export function rerankProblem(value: unknown, documentCount: number): string | undefined {
  if (!isObject(value)) return "not an object";
  if (!Array.isArray(value.rankings)) return "rankings is not an array";
  for (const [position, ranking] of value.rankings.entries()) {
    const [index, score] = Array.isArray(ranking) ? ranking : [];
    if (
      !Array.isArray(ranking) ||
      ranking.length !== 2 ||
      !Number.isInteger(index) ||
      (index as number) < 0 ||
      (index as number) >= documentCount ||
      typeof score !== "number" ||
      !Number.isFinite(score)
    ) {
      return `rankings[${position}] is not [document index, score]`;
    }
  }
  return usageProblem(value.usage);
}
