import type { ServerResponse } from "node:http";
import { chunkText, estimateTokens, lastUserText } from "./answers.js";
import type { AnswerShape, MockBehaviour } from "./behaviour.js";
import { sendJson, startSse } from "./http-util.js";

type OkBehaviour = Extract<MockBehaviour, { type: "ok" }>;

// Tool-call arguments go out in pieces this long, so a call of any real size spans several
// SSE chunks, as OpenAI streams them.
const ARGUMENT_PIECE_CHARS = 7;

function usageOf(promptTokens: number, completionTokens: number) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

/** The scripted tool calls with their ids: the given one, else `call_mock_<index>`. */
export function scriptedToolCalls(behaviour: OkBehaviour) {
  return (behaviour.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_mock_${index}`,
    name: call.name,
    arguments: call.arguments,
  }));
}

/**
 * Answers `chat/completions` like OpenAI. JSON: one choice with the text (`echo: <last user
 * message>` unless scripted; `null` when the answer only calls tools), `tool_calls` and the
 * finish reason. SSE: a role-only chunk, text chunks, per tool call a first chunk with `index`,
 * `id`, `type` and `name` then its arguments over several chunks, a chunk with the finish reason,
 * a usage-only chunk when `stream_options.include_usage`, and `data: [DONE]`. `shape.truncate`
 * leaves out the finish reason (JSON), or the finish chunk, the usage and `[DONE]` (SSE).
 */
export function answerOpenAIChat(
  body: Record<string, unknown>,
  behaviour: OkBehaviour,
  response: ServerResponse,
  shape: AnswerShape = {},
): void {
  const prompt = lastUserText(body);
  const toolCalls = scriptedToolCalls(behaviour);
  const content = behaviour.content ?? (toolCalls.length > 0 ? null : `echo: ${prompt}`);
  const finishReason = shape.truncate
    ? null
    : (behaviour.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"));
  const completionText =
    (content ?? "") + toolCalls.map((call) => call.name + call.arguments).join("");
  const usage = usageOf(estimateTokens(prompt), estimateTokens(completionText));
  const model = String(body.model ?? "mock");
  if (body.stream !== true) {
    sendJson(response, 200, {
      id: "chatcmpl-mock",
      object: "chat.completion",
      model,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content,
            ...(toolCalls.length > 0
              ? {
                  tool_calls: toolCalls.map((call) => ({
                    id: call.id,
                    type: "function",
                    function: { name: call.name, arguments: call.arguments },
                  })),
                }
              : {}),
          },
          finish_reason: finishReason,
        },
      ],
      ...(behaviour.omitUsage ? {} : { usage }),
    });
    return;
  }
  startSse(response);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: "chatcmpl-mock", object: "chat.completion.chunk", model, choices, ...extra })}\n\n`;
  const delta = (value: Record<string, unknown>, finish: string | null = null) =>
    chunk([{ index: 0, delta: value, finish_reason: finish }]);
  const pieces: string[] = [delta({ role: "assistant" })];
  for (const piece of chunkText(content ?? "")) pieces.push(delta({ content: piece }));
  for (const [index, call] of toolCalls.entries()) {
    pieces.push(
      delta({
        tool_calls: [
          { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } },
        ],
      }),
    );
    for (const piece of chunkText(call.arguments, ARGUMENT_PIECE_CHARS)) {
      pieces.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  }
  let last = "";
  if (!shape.truncate) {
    pieces.push(delta({}, finishReason));
    const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)
      ?.include_usage;
    if (wantsUsage && !behaviour.omitUsage) pieces.push(chunk([], { usage }));
    last = "data: [DONE]\n\n";
  }
  writePaced(response, pieces, last, behaviour.chunkIntervalMs ?? 0);
}

// Writes the chunks, `intervalMs` apart after the first (all at once for 0), then ends with
// `last`; stops early when the client has gone.
function writePaced(
  response: ServerResponse,
  pieces: readonly string[],
  last: string,
  intervalMs: number,
): void {
  if (intervalMs <= 0) {
    for (const piece of pieces) response.write(piece);
    response.end(last);
    return;
  }
  let next = 0;
  const writeNext = () => {
    if (response.destroyed) return;
    if (next === pieces.length) {
      response.end(last);
      return;
    }
    response.write(pieces[next++]);
    setTimeout(writeNext, intervalMs);
  };
  writeNext();
}
