import {
  bytesToDataUri,
  type ChatMessage,
  type CompletionParameters,
  type CompletionRequest,
  type ContentPart,
} from "@fabricatio/thryd";
import type { AskOptions, CompletionOptions, LlmSettings } from "./types.js";

/**
 * The sampling and output fields of a request: per-call options over the config's `[llm]`
 * defaults. Unset fields are left out so they do not reach the cache key or the provider.
 */
export function completionParameters(
  options: CompletionOptions,
  defaults: LlmSettings["llm"],
): CompletionParameters {
  const parameters: CompletionParameters = {};
  const set = <K extends keyof CompletionParameters>(
    key: K,
    value: CompletionParameters[K] | null | undefined,
  ) => {
    if (value !== undefined && value !== null) parameters[key] = value;
  };
  set("temperature", options.temperature ?? defaults.temperature);
  set("top_p", options.topP ?? defaults.top_p);
  set("max_completion_tokens", options.maxCompletionTokens ?? defaults.max_completion_tokens);
  set("presence_penalty", options.presencePenalty ?? defaults.presence_penalty);
  set("frequency_penalty", options.frequencyPenalty ?? defaults.frequency_penalty);
  set("effort", options.effort ?? defaults.effort);
  set("stop", options.stop);
  set("seed", options.seed);
  set("user", options.user);
  return parameters;
}

function imageUrls(options: AskOptions): string[] {
  return (options.images ?? []).map((image) =>
    typeof image === "string" ? image : bytesToDataUri(image),
  );
}

/** The conversation of one question: the system prompt, the history, then the question. */
export function questionMessages(question: string, options: AskOptions): ChatMessage[] {
  const images = imageUrls(options);
  const content: string | ContentPart[] =
    images.length === 0
      ? question
      : [
          { type: "text", text: question },
          ...images.map((url) => ({ type: "image_url" as const, image_url: { url } })),
        ];
  return [
    ...(options.system === undefined ? [] : [{ role: "system" as const, content: options.system }]),
    ...(options.history ?? []),
    { role: "user", content },
  ];
}

/**
 * The request of one question. Without a system prompt or history it is the `message`
 * shorthand, so answers cached before conversations existed keep their keys.
 */
export function questionRequest(
  question: string,
  options: AskOptions,
  defaults: LlmSettings["llm"],
): CompletionRequest {
  const parameters = completionParameters(options, defaults);
  if (options.system === undefined && options.history === undefined) {
    const images = imageUrls(options);
    return { message: question, ...(images.length > 0 ? { images } : {}), ...parameters };
  }
  return { messages: questionMessages(question, options), ...parameters };
}
