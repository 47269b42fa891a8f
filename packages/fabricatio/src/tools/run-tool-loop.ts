import { redactSecrets } from "@fabricatio/logger";
import type {
  ChatMessage,
  CompletionResponse,
  FunctionTool,
  ToolCall,
  ToolMessage,
} from "@fabricatio/thryd";
import { ToolLoopAbortedError, ToolLoopMaxStepsError } from "../errors.js";
import { addUsage, chatResultOf } from "../llm/chat-result.js";
import type { ChatResult } from "../llm/types.js";
import type {
  ResolvedTool,
  ToolCallRecord,
  ToolCallStart,
  ToolLoopResult,
  ToolLoopStep,
} from "./types.js";

/** Model calls of one `runTools` at most, unless `maxSteps` says otherwise. */
export const DEFAULT_MAX_STEPS = 8;

/** Time limit of one tool call, in milliseconds, unless `toolTimeoutMs` says otherwise. */
export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;

/** What the loop needs: the conversation, the tools, and one model call. */
export interface ToolLoopOptions {
  messages: readonly ChatMessage[];
  tools: readonly ResolvedTool[];
  /** One model call with the conversation so far and the tool definitions. */
  complete(
    messages: readonly ChatMessage[],
    definitions: readonly FunctionTool[],
  ): Promise<CompletionResponse>;
  maxSteps: number;
  toolTimeoutMs: number;
  signal?: AbortSignal;
  onToolCall?: (call: ToolCallStart) => void;
  onStep?: (step: ToolLoopStep) => void;
}

class ToolTimeout extends Error {}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A promise that rejects when `signal` fires; `dispose` removes its listener. */
function rejectOnAbort(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let listener: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    listener = () => reject(signal.reason);
    if (signal.aborted) listener();
    else signal.addEventListener("abort", listener, { once: true });
  });
  // The race that uses it handles the rejection; this keeps an unraced one from being "unhandled".
  promise.catch(() => undefined);
  return { promise, dispose: () => listener && signal.removeEventListener("abort", listener) };
}

/** Parses and checks one call's arguments: the value to run with, or the error to send back. */
async function argumentsOf(
  call: ToolCall,
  tool: ResolvedTool,
): Promise<{ value: unknown } | { error: string }> {
  const text = call.function.arguments;
  let parsed: unknown;
  try {
    // Some models send no text at all for a call without arguments.
    parsed = text.trim() === "" ? {} : JSON.parse(text);
  } catch (error) {
    return { error: `the arguments are not valid JSON (${messageOf(error)}): ${text}` };
  }
  const { problems, value } = await tool.validate(parsed);
  if (problems.length > 0) {
    return {
      error: `invalid arguments for ${call.function.name}:\n${problems.map((problem) => `- ${problem}`).join("\n")}`,
    };
  }
  return { value };
}

/** Runs one tool call to a record; only the loop's own abort makes it reject. */
async function runCall(
  start: ToolCallStart,
  call: ToolCall,
  tool: ResolvedTool | undefined,
  stepSignal: AbortSignal,
  toolTimeoutMs: number,
  available: readonly string[],
): Promise<ToolCallRecord> {
  const started = performance.now();
  const record = (content: string, isError: boolean): ToolCallRecord => ({
    ...start,
    content: isError ? `Error: ${redactSecrets(content)}` : content,
    isError,
    durationMs: performance.now() - started,
  });
  if (!tool) {
    return record(
      `there is no tool named "${call.function.name}"; the tools are: ${available.join(", ")}`,
      true,
    );
  }
  const checked = await argumentsOf(call, tool);
  if ("error" in checked) return record(checked.error, true);
  const controller = new AbortController();
  const forward = () => controller.abort(stepSignal.reason);
  stepSignal.addEventListener("abort", forward, { once: true });
  const timer = setTimeout(() => controller.abort(new ToolTimeout()), toolTimeoutMs);
  const aborted = rejectOnAbort(controller.signal);
  try {
    const outcome = await Promise.race([
      tool.execute(checked.value, {
        signal: controller.signal,
        toolCallId: call.id,
        timeoutMs: toolTimeoutMs,
      }),
      aborted.promise,
    ]);
    return record(outcome.content, outcome.isError);
  } catch (error) {
    if (stepSignal.aborted) throw error;
    if (controller.signal.reason instanceof ToolTimeout) {
      return record(`tool ${call.function.name} timed out after ${toolTimeoutMs} ms`, true);
    }
    return record(`tool ${call.function.name} failed: ${messageOf(error)}`, true);
  } finally {
    clearTimeout(timer);
    aborted.dispose();
    stepSignal.removeEventListener("abort", forward);
  }
}

/**
 * The tool loop: ask, run every tool call of the answer concurrently, send the results back as
 * tool messages, until an answer calls no tool.
 * @throws {ToolLoopMaxStepsError} after `maxSteps` model calls that all called tools
 * @throws {ToolLoopAbortedError} when `signal` fires (no model call follows)
 */
export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopResult> {
  const { tools, signal, maxSteps } = options;
  const messages: ChatMessage[] = [...options.messages];
  const steps: ToolLoopStep[] = [];
  const byName = new Map(tools.map((tool) => [tool.definition.function.name, tool]));
  const definitions = tools.map((tool) => tool.definition);
  let usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  for (let index = 1; index <= maxSteps; index += 1) {
    if (signal?.aborted) {
      throw new ToolLoopAbortedError(`before step ${index}`, messages, steps, signal.reason);
    }
    let response: CompletionResponse;
    try {
      response = await options.complete(messages, definitions);
    } catch (error) {
      if (signal?.aborted) {
        throw new ToolLoopAbortedError(`during step ${index}`, messages, steps, error);
      }
      throw error;
    }
    const result = withUniqueCallIds(chatResultOf(response), messages, index);
    usage = addUsage(usage, result.usage);
    messages.push(result.message);
    if (result.toolCalls.length === 0) {
      const step: ToolLoopStep = { index, response: result, toolCalls: [] };
      steps.push(step);
      options.onStep?.(step);
      return {
        content: result.content,
        finishReason: result.finishReason,
        message: result.message,
        messages,
        steps,
        usage,
      };
    }
    const records = await runStep(index, result.toolCalls, byName, options, messages, steps);
    messages.push(
      ...records.map(
        (record): ToolMessage => ({
          role: "tool",
          tool_call_id: record.id,
          content: record.content,
        }),
      ),
    );
    const step: ToolLoopStep = { index, response: result, toolCalls: records };
    steps.push(step);
    options.onStep?.(step);
  }
  throw new ToolLoopMaxStepsError(maxSteps, messages, steps);
}

/**
 * The answer with every tool call id unique in the conversation. Some OpenAI-compatible servers
 * number calls from 0 on every turn (`call_0` again), and a conversation where one id answers
 * two calls is one no provider accepts; such an id gets a step suffix.
 */
function withUniqueCallIds(
  result: ChatResult,
  messages: readonly ChatMessage[],
  step: number,
): ChatResult {
  const used = new Set<string>();
  for (const message of messages) {
    if (message.role === "assistant")
      for (const call of message.tool_calls ?? []) used.add(call.id);
  }
  let changed = false;
  const toolCalls = result.toolCalls.map((call, index) => {
    let id = call.id;
    if (id === "" || used.has(id)) {
      id = `${call.id || "call"}_${step}_${index}`;
      changed = true;
    }
    used.add(id);
    return id === call.id ? call : { ...call, id };
  });
  if (!changed) return result;
  return { ...result, toolCalls, message: { ...result.message, tool_calls: toolCalls } };
}

/** Runs the calls of one answer concurrently; the loop's abort rejects at once. */
async function runStep(
  index: number,
  calls: readonly ToolCall[],
  byName: ReadonlyMap<string, ResolvedTool>,
  options: ToolLoopOptions,
  messages: readonly ChatMessage[],
  steps: readonly ToolLoopStep[],
): Promise<ToolCallRecord[]> {
  const { signal } = options;
  const stepController = new AbortController();
  const forward = () => stepController.abort(signal?.reason);
  signal?.addEventListener("abort", forward, { once: true });
  const aborted = rejectOnAbort(stepController.signal);
  const available = [...byName.keys()];
  try {
    const running = calls.map((call) => {
      const tool = byName.get(call.function.name);
      const start: ToolCallStart = {
        step: index,
        id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
        source: tool?.source ?? "unknown",
      };
      options.onToolCall?.(start);
      return runCall(start, call, tool, stepController.signal, options.toolTimeoutMs, available);
    });
    return await Promise.race([Promise.all(running), aborted.promise]);
  } catch (error) {
    if (signal?.aborted) {
      throw new ToolLoopAbortedError(`while step ${index} ran its tools`, messages, steps, error);
    }
    throw error;
  } finally {
    // Tools still running (after an abort, or a callback that threw) are told to stop.
    if (!stepController.signal.aborted) stepController.abort();
    aborted.dispose();
    signal?.removeEventListener("abort", forward);
  }
}
