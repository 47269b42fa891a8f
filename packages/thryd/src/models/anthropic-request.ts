import { UnsupportedFeatureError } from "../errors/request-errors.js";
import type { CompletionRequest, ContentPart, TextPart, ToolChoice } from "../types.js";
import { toImageSource } from "./image-source.js";
import { nativeConversationOf } from "./native-conversation.js";
import { thinkingBudgetOf } from "./thinking-budget.js";
import { toolInputOf } from "./tool-input.js";

/** The `anthropic-version` header thryd sends unless the provider overrides it. */
export const ANTHROPIC_API_VERSION = "2023-06-01";

/** `max_tokens` sent when the request sets no `max_completion_tokens`: the API requires one. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Anthropic's smallest thinking budget, in tokens. */
const MIN_THINKING_BUDGET = 1024;

const PROVIDER = "anthropic";

type Block = Record<string, unknown>;

/** One turn of a Messages API conversation. */
export interface AnthropicTurn {
  role: "user" | "assistant";
  content: string | Block[];
}

// Images become `image` blocks; PDFs and plain text `document` blocks (a PDF sent as an image
// is rejected by the API). Anything else has no block type.
function attachmentBlock(url: string, field: string, title?: string): Block {
  const source = toImageSource(url);
  const titled = title === undefined ? {} : { title };
  if (source.mimeType === "application/pdf") {
    return {
      type: "document",
      source:
        source.type === "base64"
          ? { type: "base64", media_type: source.mimeType, data: source.data }
          : { type: "url", url: source.url },
      ...titled,
    };
  }
  if (source.mimeType === "text/plain" && source.type === "base64") {
    const data = Buffer.from(source.data, "base64").toString("utf8");
    return {
      type: "document",
      source: { type: "text", media_type: "text/plain", data },
      ...titled,
    };
  }
  if (source.mimeType.startsWith("image/")) {
    return {
      type: "image",
      source:
        source.type === "base64"
          ? { type: "base64", media_type: source.mimeType, data: source.data }
          : { type: "url", url: source.url },
    };
  }
  throw new UnsupportedFeatureError(
    field,
    PROVIDER,
    `media type ${source.mimeType}: only images, PDFs and plain text have a block type`,
  );
}

function partBlock(part: ContentPart, field: string): Block {
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text };
    case "image_url":
      return attachmentBlock(part.image_url.url, `${field}.image_url.url`);
    case "file":
      if (part.file.file_id !== undefined) {
        throw new UnsupportedFeatureError(
          `${field}.file.file_id`,
          PROVIDER,
          "OpenAI file ids mean nothing to Anthropic: send the file as file_data",
        );
      }
      return attachmentBlock(
        part.file.file_data ?? "",
        `${field}.file.file_data`,
        part.file.filename,
      );
  }
}

const textBlocks = (content: readonly TextPart[]): Block[] =>
  content.map((part) => ({ type: "text", text: part.text }));

const asBlocks = (content: string | Block[]): Block[] =>
  typeof content === "string" ? (content === "" ? [] : [{ type: "text", text: content }]) : content;

/**
 * The Messages API form of the request's conversation: leading system messages joined into
 * `system`, assistant `tool_calls` as `tool_use` blocks, tool results as `tool_result` blocks of
 * a user turn, and consecutive turns of one role merged, since the API wants them alternating.
 * `thinkingBlocksOf` gives the thinking blocks that preceded a tool call, sent back before it.
 * @throws {UnsupportedFeatureError} for a part or field with no Messages API form
 * @throws {InvalidRequestError} when tool call arguments are not a JSON object
 */
export function toAnthropicMessages(
  request: CompletionRequest,
  options: { thinkingBlocksOf?: (toolCallId: string) => readonly object[] | undefined } = {},
): {
  system: string | undefined;
  messages: AnthropicTurn[];
} {
  const conversation = nativeConversationOf(request, PROVIDER);
  const messages: AnthropicTurn[] = [];
  const push = (turn: AnthropicTurn) => {
    const previous = messages.at(-1);
    if (previous?.role === turn.role) {
      previous.content = [...asBlocks(previous.content), ...asBlocks(turn.content)];
    } else messages.push(turn);
  };
  for (const { message, index } of conversation.turns) {
    const at = `messages[${index}]`;
    switch (message.role) {
      case "user":
        push({
          role: "user",
          content:
            typeof message.content === "string"
              ? message.content
              : message.content.map((part, partIndex) =>
                  partBlock(part, `${at}.content[${partIndex}]`),
                ),
        });
        break;
      case "tool":
        push({
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: message.tool_call_id,
              content:
                typeof message.content === "string" ? message.content : textBlocks(message.content),
            },
          ],
        });
        break;
      case "assistant": {
        const text =
          typeof message.content === "string" || !message.content
            ? (message.content ?? "")
            : textBlocks(message.content);
        const calls = message.tool_calls ?? [];
        if (calls.length === 0) {
          push({ role: "assistant", content: text });
          break;
        }
        // With extended thinking, the turn that called tools must start with its thinking.
        const thinking = options.thinkingBlocksOf?.(calls[0]!.id) ?? [];
        push({
          role: "assistant",
          content: [
            ...(thinking as Block[]),
            ...asBlocks(text),
            ...calls.map((call, callIndex) => ({
              type: "tool_use",
              id: call.id,
              name: call.function.name,
              input: toolInputOf(
                call.function.arguments,
                `${at}.tool_calls[${callIndex}].function.arguments`,
              ),
            })),
          ],
        });
      }
    }
  }
  return {
    system: conversation.system.length > 0 ? conversation.system.join("\n\n") : undefined,
    messages,
  };
}

function toolChoiceOf(choice: ToolChoice | undefined, parallel: boolean | undefined) {
  const disable = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return parallel === false ? { type: "auto", ...disable } : undefined;
  if (choice === "none") return { type: "none" };
  if (choice === "auto") return { type: "auto", ...disable };
  if (choice === "required") return { type: "any", ...disable };
  return { type: "tool", name: choice.function.name, ...disable };
}

function unsupported(field: string, detail: string): never {
  throw new UnsupportedFeatureError(field, PROVIDER, detail);
}

/** The first `anthropic-version` whose Messages API has no sampling parameters. */
export const ANTHROPIC_VERSION_WITHOUT_SAMPLING = "2026-10-21";

// API version 2026-10-21 dropped `temperature` and `top_p`; before it, current Claude models
// reject the pair ("temperature and top_p cannot both be specified"). One rule for every
// model: never both, and neither from 2026-10-21 on. Versions are dates, so they sort as text.
function checkSampling(request: CompletionRequest, apiVersion: string): void {
  if (apiVersion >= ANTHROPIC_VERSION_WITHOUT_SAMPLING) {
    for (const field of ["temperature", "top_p"] as const) {
      if (request[field] !== undefined) {
        unsupported(field, `anthropic-version ${apiVersion} has no sampling parameters`);
      }
    }
  }
  if (request.temperature !== undefined && request.top_p !== undefined) {
    unsupported("top_p", "cannot be sent together with temperature: set only one of them");
  }
}

// Extended thinking: a budget on top of the answer's tokens. The API then refuses a changed
// temperature, a top_p below 0.95 and a forced tool choice, so those fail here, named.
function thinkingOf(request: CompletionRequest) {
  if (request.effort === undefined) return { thinking: undefined, budget: 0 };
  const budget = thinkingBudgetOf(request.effort, PROVIDER);
  if (budget === 0) return { thinking: { type: "disabled" }, budget: 0 };
  if (budget < MIN_THINKING_BUDGET) {
    unsupported("effort", `a thinking budget of ${budget} tokens (the minimum is 1024)`);
  }
  if (request.temperature !== undefined) {
    unsupported("temperature", "extended thinking (effort) runs at the default temperature");
  }
  if (request.top_p !== undefined && request.top_p < 0.95) {
    unsupported("top_p", "extended thinking (effort) allows only top_p from 0.95 to 1");
  }
  if (request.tool_choice === "required" || typeof request.tool_choice === "object") {
    unsupported("tool_choice", 'extended thinking (effort) allows only "auto" or "none"');
  }
  return { thinking: { type: "enabled", budget_tokens: budget }, budget };
}

/** Options of {@link buildAnthropicBody}. */
export interface AnthropicBodyOptions {
  /** Adds `stream: true`. */
  stream: boolean;
  /** `max_tokens` when the request sets no `max_completion_tokens`. @default 4096 */
  defaultMaxTokens?: number;
  /** The `anthropic-version` the body is sent with. @default ANTHROPIC_API_VERSION */
  apiVersion?: string;
  /**
   * The thinking blocks the model wrote before a tool call, by tool call id. Sent back before
   * the call when the request thinks too, as the API requires in a tool loop.
   */
  thinkingBlocksOf?: (toolCallId: string) => readonly object[] | undefined;
}

/**
 * The JSON body of a Messages API call for `request`. Unset fields are left out (JSON drops
 * `undefined`). Structured output uses the API's `output_config.format`; `effort` becomes
 * extended thinking with a {@link THINKING_BUDGET_TOKENS} budget added to `max_tokens`.
 * @throws {UnsupportedFeatureError} for `seed`, `presence_penalty`, `frequency_penalty`,
 * `response_format: json_object`, `temperature` with `top_p` (either one from API version
 * 2026-10-21 on), and parts with no block type
 * @throws {InvalidRequestError} when tool call arguments are not a JSON object
 */
export function buildAnthropicBody(
  model: string,
  request: CompletionRequest,
  options: AnthropicBodyOptions,
) {
  if (request.seed !== undefined) unsupported("seed", "the Messages API has no seed");
  if (request.presence_penalty !== undefined) {
    unsupported("presence_penalty", "the Messages API has no penalties");
  }
  if (request.frequency_penalty !== undefined) {
    unsupported("frequency_penalty", "the Messages API has no penalties");
  }
  if (request.response_format?.type === "json_object") {
    unsupported(
      "response_format",
      'type "json_object" has no Messages API form: use "json_schema" with a schema',
    );
  }
  checkSampling(request, options.apiVersion ?? ANTHROPIC_API_VERSION);
  const { thinking, budget } = thinkingOf(request);
  const { system, messages } = toAnthropicMessages(request, {
    thinkingBlocksOf: budget > 0 ? options.thinkingBlocksOf : undefined,
  });
  const format = request.response_format;
  const stop = request.stop;
  return {
    model,
    max_tokens:
      (request.max_completion_tokens ?? options.defaultMaxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS) +
      budget,
    system,
    messages,
    temperature: request.temperature,
    top_p: request.top_p,
    stop_sequences: stop === undefined ? undefined : typeof stop === "string" ? [stop] : stop,
    metadata: request.user === undefined ? undefined : { user_id: request.user },
    tools: request.tools?.map((tool) => ({
      name: tool.function.name,
      description: tool.function.description,
      input_schema: tool.function.parameters ?? { type: "object", properties: {} },
      strict: tool.function.strict,
    })),
    tool_choice: toolChoiceOf(request.tool_choice, request.parallel_tool_calls),
    thinking,
    output_config:
      format?.type === "json_schema"
        ? { format: { type: "json_schema", schema: format.json_schema.schema } }
        : undefined,
    ...(options.stream ? { stream: true } : {}),
  };
}
