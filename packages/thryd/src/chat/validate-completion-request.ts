import { InvalidRequestError, type RequestProblem } from "../errors/request-errors.js";
import type { CompletionRequest } from "../types.js";

const ROLES: ReadonlySet<unknown> = new Set(["system", "developer", "user", "assistant", "tool"]);
const TOOL_CHOICES: ReadonlySet<unknown> = new Set(["auto", "none", "required"]);
const FORMAT_TYPES: ReadonlySet<unknown> = new Set(["text", "json_object", "json_schema"]);
const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_STOP_SEQUENCES = 4;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const show = (value: unknown) => JSON.stringify(value) ?? String(value);

// Ranges of the sampling fields, as wide as the widest provider takes them: a value outside
// is a mistake on every provider.
const NUMBER_RANGES: readonly [field: keyof CompletionRequest, min: number, max: number][] = [
  ["temperature", 0, 2],
  ["top_p", 0, 1],
  ["presence_penalty", -2, 2],
  ["frequency_penalty", -2, 2],
];

/** Collects the problems of one request, so a caller learns all of them from one error. */
class Problems {
  list: RequestProblem[] | undefined;
  add(field: string, reason: string): void {
    this.list ??= [];
    this.list.push({ field, reason });
  }
}

function checkContent(
  problems: Problems,
  content: unknown,
  field: string,
  allowed: readonly string[],
  optional = false,
): void {
  if (typeof content === "string") return;
  if (content === undefined || content === null) {
    if (!optional) problems.add(field, "is required");
    return;
  }
  if (!Array.isArray(content)) {
    problems.add(field, "must be a string or an array of content parts");
    return;
  }
  content.forEach((part: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isObject(part) || !allowed.includes(part.type as string)) {
      problems.add(
        `${at}.type`,
        `must be ${allowed.join(" or ")} here (got ${show(isObject(part) ? part.type : part)})`,
      );
      return;
    }
    if (part.type === "text" && typeof part.text !== "string") {
      problems.add(`${at}.text`, "must be a string");
    }
    if (part.type === "image_url") {
      const url = isObject(part.image_url) ? part.image_url.url : undefined;
      if (typeof url !== "string" || !/^(https?:\/\/|data:)/i.test(url)) {
        problems.add(`${at}.image_url.url`, "must be an http(s) URL or a data: URI");
      }
    }
    if (part.type === "file") {
      const file = isObject(part.file) ? part.file : {};
      const data = file.file_data;
      if (data !== undefined && (typeof data !== "string" || !data.startsWith("data:"))) {
        problems.add(`${at}.file.file_data`, "must be a base64 data: URI");
      } else if (data === undefined && typeof file.file_id !== "string") {
        problems.add(`${at}.file`, "needs file_data (a data: URI) or file_id");
      }
    }
  });
}

// Every tool call of an assistant message must be answered by the tool messages right after
// it, and a tool message must answer one of those calls: the rule of all three providers.
function checkMessages(problems: Problems, messages: readonly unknown[]): void {
  const seenCallIds = new Set<string>();
  let open = new Map<string, string>();
  const closeTurn = () => {
    for (const [id, field] of open) {
      problems.add(field, `tool call "${id}" has no tool message with its result`);
    }
    open = new Map();
  };
  messages.forEach((message, index) => {
    const at = `messages[${index}]`;
    if (!isObject(message)) {
      problems.add(at, "must be a message object");
      return;
    }
    if (!ROLES.has(message.role)) {
      problems.add(
        `${at}.role`,
        `must be system, developer, user, assistant or tool (got ${show(message.role)})`,
      );
      return;
    }
    if (message.name !== undefined && typeof message.name !== "string") {
      problems.add(`${at}.name`, "must be a string");
    }
    if (message.role === "tool") {
      const id = message.tool_call_id;
      if (typeof id !== "string" || id === "") {
        problems.add(`${at}.tool_call_id`, "is required on a tool message");
      } else if (open.has(id)) {
        open.delete(id);
      } else {
        problems.add(
          `${at}.tool_call_id`,
          `"${id}" answers no open tool call of the assistant message before it`,
        );
      }
      checkContent(problems, message.content, `${at}.content`, ["text"]);
      return;
    }
    closeTurn();
    switch (message.role) {
      case "system":
      case "developer":
        checkContent(problems, message.content, `${at}.content`, ["text"]);
        return;
      case "user":
        checkContent(problems, message.content, `${at}.content`, ["text", "image_url", "file"]);
        return;
      default:
        checkAssistant(problems, message, at, seenCallIds, open);
    }
  });
  closeTurn();
}

function checkAssistant(
  problems: Problems,
  message: Json,
  at: string,
  seenCallIds: Set<string>,
  open: Map<string, string>,
): void {
  checkContent(problems, message.content, `${at}.content`, ["text"], true);
  const calls = message.tool_calls ?? [];
  if (!Array.isArray(calls)) {
    problems.add(`${at}.tool_calls`, "must be an array");
    return;
  }
  calls.forEach((call: unknown, callIndex) => {
    const callAt = `${at}.tool_calls[${callIndex}]`;
    const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
    const id = isObject(call) ? call.id : undefined;
    if (typeof id !== "string" || id === "") {
      problems.add(`${callAt}.id`, "is required");
    } else if (seenCallIds.has(id)) {
      problems.add(`${callAt}.id`, `"${id}" is used by an earlier tool call`);
    } else {
      seenCallIds.add(id);
      open.set(id, `${callAt}.id`);
    }
    if (typeof fn?.name !== "string" || fn.name === "") {
      problems.add(`${callAt}.function.name`, "is required");
    }
    if (typeof fn?.arguments !== "string") {
      problems.add(`${callAt}.function.arguments`, "must be the arguments' JSON text (a string)");
    }
  });
  const content = message.content;
  const isEmpty = content === undefined || content === null || content === "";
  if (isEmpty && calls.length === 0) {
    problems.add(at, "an assistant message needs content or tool_calls");
  }
}

function checkTools(problems: Problems, request: CompletionRequest): void {
  const tools: unknown = request.tools;
  const names = new Set<string>();
  if (tools !== undefined && !Array.isArray(tools)) {
    problems.add("tools", "must be an array");
  } else {
    (tools ?? []).forEach((tool: unknown, index: number) => {
      const at = `tools[${index}]`;
      const fn = isObject(tool) && isObject(tool.function) ? tool.function : undefined;
      if (!isObject(tool) || tool.type !== "function" || !fn) {
        problems.add(at, 'must be { type: "function", function: { name, … } }');
        return;
      }
      if (typeof fn.name !== "string" || !NAME_PATTERN.test(fn.name)) {
        problems.add(`${at}.function.name`, `${show(fn.name)} must match ${NAME_PATTERN.source}`);
      } else if (names.has(fn.name)) {
        problems.add(`${at}.function.name`, `"${fn.name}" is the name of an earlier tool`);
      } else {
        names.add(fn.name);
      }
      if (fn.description !== undefined && typeof fn.description !== "string") {
        problems.add(`${at}.function.description`, "must be a string");
      }
      if (fn.parameters !== undefined && !isObject(fn.parameters)) {
        problems.add(`${at}.function.parameters`, "must be a JSON Schema object");
      }
      if (fn.strict !== undefined && typeof fn.strict !== "boolean") {
        problems.add(`${at}.function.strict`, "must be a boolean");
      }
    });
  }
  const choice: unknown = request.tool_choice;
  if (isObject(choice)) {
    const name = isObject(choice.function) ? choice.function.name : undefined;
    if (choice.type !== "function" || typeof name !== "string") {
      problems.add(
        "tool_choice",
        'must be "auto", "none", "required" or { type: "function", function: { name } }',
      );
    } else if (!names.has(name)) {
      problems.add("tool_choice.function.name", `"${name}" is not the name of a tool in tools`);
    }
  } else if (choice !== undefined && !TOOL_CHOICES.has(choice)) {
    problems.add(
      "tool_choice",
      `must be "auto", "none", "required" or a named function (got ${show(choice)})`,
    );
  } else if (choice === "required" && names.size === 0) {
    problems.add("tool_choice", '"required" needs at least one tool in tools');
  }
  if (
    request.parallel_tool_calls !== undefined &&
    typeof request.parallel_tool_calls !== "boolean"
  ) {
    problems.add("parallel_tool_calls", "must be a boolean");
  }
}

function checkOutput(problems: Problems, request: CompletionRequest): void {
  const format: unknown = request.response_format;
  if (format !== undefined) {
    if (!isObject(format) || !FORMAT_TYPES.has(format.type)) {
      problems.add("response_format.type", "must be text, json_object or json_schema");
    } else if (format.type === "json_schema") {
      const spec = isObject(format.json_schema) ? format.json_schema : {};
      if (typeof spec.name !== "string" || !NAME_PATTERN.test(spec.name)) {
        problems.add("response_format.json_schema.name", `must match ${NAME_PATTERN.source}`);
      }
      if (!isObject(spec.schema)) {
        problems.add("response_format.json_schema.schema", "must be a JSON Schema object");
      }
    }
  }
  const stop: unknown = request.stop;
  const sequences = typeof stop === "string" ? [stop] : stop;
  if (
    stop !== undefined &&
    (!Array.isArray(sequences) ||
      sequences.some((sequence) => typeof sequence !== "string" || sequence === ""))
  ) {
    problems.add("stop", "must be a non-empty string or an array of them");
  } else if (Array.isArray(sequences) && sequences.length > MAX_STOP_SEQUENCES) {
    problems.add("stop", `holds ${sequences.length} sequences; at most ${MAX_STOP_SEQUENCES}`);
  }
  for (const [field, min, max] of NUMBER_RANGES) {
    const value = request[field];
    if (value !== undefined && (typeof value !== "number" || !(value >= min && value <= max))) {
      problems.add(field, `must be a number from ${min} to ${max} (got ${show(value)})`);
    }
  }
  const maxTokens = request.max_completion_tokens;
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens > 0)) {
    problems.add("max_completion_tokens", `must be a positive integer (got ${show(maxTokens)})`);
  }
  if (request.seed !== undefined && !Number.isInteger(request.seed)) {
    problems.add("seed", `must be an integer (got ${show(request.seed)})`);
  }
  if (request.user !== undefined && typeof request.user !== "string") {
    problems.add("user", "must be a string");
  }
  if (request.effort !== undefined && typeof request.effort !== "string") {
    problems.add("effort", "must be a string");
  }
}

/**
 * Checks a completion request's shape before anything is reserved or sent: exactly one of
 * `message` / `messages`; known roles and content parts; every assistant tool call answered by
 * a tool message right after it, and every tool message answering one; unique tool names
 * matching `^[a-zA-Z0-9_-]{1,64}$`; a `tool_choice` naming a tool; a well-formed
 * `response_format`; `stop`, `seed` and the sampling fields in range.
 * @throws {InvalidRequestError} listing every problem found (`problems`), the first as `field`
 */
export function validateCompletionRequest(request: CompletionRequest): void {
  const problems = new Problems();
  if (!isObject(request)) {
    throw new InvalidRequestError([{ field: "request", reason: "must be an object" }]);
  }
  const hasMessage = request.message !== undefined;
  const hasMessages = request.messages !== undefined;
  if (hasMessage && hasMessages) {
    problems.add("message/messages", "are both set: pass exactly one of them");
  } else if (!hasMessage && !hasMessages) {
    problems.add("message", "is missing: pass `message` (a string) or `messages` (a conversation)");
  } else if (hasMessage) {
    if (typeof request.message !== "string") problems.add("message", "must be a string");
    const images: unknown = request.images;
    if (
      images !== undefined &&
      (!Array.isArray(images) || images.some((image) => typeof image !== "string" || image === ""))
    ) {
      problems.add("images", "must be an array of data: URIs or URLs");
    }
  } else {
    if (request.images !== undefined) {
      problems.add(
        "images",
        "is only for the `message` shorthand: with `messages`, put images in a user message as image_url parts",
      );
    }
    if (!Array.isArray(request.messages) || request.messages.length === 0) {
      problems.add("messages", "must be a non-empty array");
    } else {
      checkMessages(problems, request.messages);
    }
  }
  // The shorthand with no other field is the hot path: skip what cannot apply.
  if (
    request.tools !== undefined ||
    request.tool_choice !== undefined ||
    request.parallel_tool_calls !== undefined
  ) {
    checkTools(problems, request);
  }
  checkOutput(problems, request);
  if (problems.list) throw new InvalidRequestError(problems.list);
}
