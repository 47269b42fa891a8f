import { getLogger } from "@fabricatio/logger";
import type { ChatMessage, CompletionRequest, CompletionResponse } from "@fabricatio/thryd";
import {
  EmptyRerankQueryError,
  InvalidOptionError,
  NothingPickedError,
  SendToNotSpecifiedError,
  SettingNotSpecifiedError,
  ValidationFailedError,
} from "../errors.js";
import { type CodeSnippet, CodeSnippetParser } from "../parsing/code-snippet.js";
import { JsonParser } from "../parsing/json-parser.js";
import { VALUE_TYPE_NAMES, type ValueOf, type ValueType } from "../parsing/value-type.js";
import type { TemplateManager } from "../templates/template-manager.js";
import { DEFAULT_MAX_STEPS, DEFAULT_TOOL_TIMEOUT_MS, runToolLoop } from "../tools/run-tool-loop.js";
import type { RunToolsOptions, ToolLoopResult } from "../tools/types.js";
import { extractCode, extractGenericString, parseJsonAnswer } from "./answer-parsing.js";
import { mapBatch } from "./batch.js";
import { type CacheMode, resolveCacheMode, retryCacheMode } from "./cache-mode.js";
import { chatResultOf } from "./chat-result.js";
import { completionParameters, questionMessages, questionRequest } from "./completion-request.js";
import {
  assertDistinctNames,
  type EnumLike,
  type EnumValue,
  enumDescription,
  enumMembers,
} from "./enum-choices.js";
import {
  isStrictSchema,
  isStructuredOutputRejection,
  jsonSchemaOf,
  wireSchema,
} from "./structured-output.js";
import type {
  AskOptions,
  BackendCallOptions,
  CachedBackend,
  ChatOptions,
  ChatResult,
  Choice,
  ChooseOptions,
  CompletionOptions,
  EmbedOptions,
  JsonOptions,
  JsonSchemaLike,
  ListOptions,
  LlmBackends,
  LlmSettings,
  MappingOptions,
  RerankOptions,
  ValidateOptions,
} from "./types.js";

const logger = getLogger("fabricatio:llm");

/** Turns an answer into a value; `undefined`/`null` (or a throw) means the answer is invalid. */
export type Validator<T> = (answer: string) => T | undefined | null | Promise<T | undefined | null>;

/** The original's default for `max_batch_emb_size`. */
export const DEFAULT_MAX_BATCH_EMB_SIZE = 10;

const snippetParser = CodeSnippetParser.withSeparators();

/**
 * What the original's `UseLLM`, `UseEmbedding`, `UseReranker` and `Propose` offer over its
 * router, in TypeScript: questions, validated and structured answers, choices, judgments,
 * embeddings and reranking. Every helper takes one input or an array of inputs (run
 * concurrently, in order, a failed item `null`). Build it with `createLLM(config)`.
 */
export class LLM {
  /** Groups that rejected native structured output: `askJson` prompts for the JSON there. */
  readonly #promptOnlyGroups = new Set<string>();

  constructor(
    private readonly backends: LlmBackends,
    private readonly settings: LlmSettings,
    private readonly templates: TemplateManager,
  ) {}

  /**
   * The group of a completion: `sendTo`, then `llm.send_to`, each resolved through `[agent]`; a
   * variant that is not configured falls through to the next, as the original's resolver.
   * @throws {SendToNotSpecifiedError}
   */
  private completionGroup(options: CompletionOptions): string {
    for (const candidate of [options.sendTo, this.settings.llm.send_to ?? undefined]) {
      if (candidate === undefined) continue;
      const group = this.settings.resolveSendTo(candidate);
      if (group) return group;
    }
    throw new SendToNotSpecifiedError();
  }

  /** The request of one question: config defaults, per-call overrides, system prompt, history. */
  private questionRequest(question: string, options: AskOptions): CompletionRequest {
    return questionRequest(question, options, this.settings.llm);
  }

  private static callOptions(options: {
    signal?: AbortSignal;
    timeoutMs?: number;
    maxWaitMs?: number;
  }): BackendCallOptions {
    return { signal: options.signal, timeoutMs: options.timeoutMs, maxWaitMs: options.maxWaitMs };
  }

  /** Sends one request of any kind through its router in the given cache mode. */
  private static dispatch<Request, Response>(
    backend: CachedBackend<Request, Response>,
    group: string,
    request: Request,
    mode: CacheMode,
    call: BackendCallOptions,
  ): Promise<Response> {
    if (mode === "fresh") return backend.invokeFresh(group, request, call);
    return backend.invoke(group, request, { ...call, noCache: mode === "off" });
  }

  /**
   * The one path every completion takes: builds the thryd request and sends it to the group in
   * the cache mode. Conversation and tool calls build their request elsewhere and come here too.
   */
  private complete(
    group: string,
    request: CompletionRequest,
    options: CompletionOptions,
    mode: CacheMode,
  ): Promise<CompletionResponse> {
    return LLM.dispatch(this.backends.completion, group, request, mode, LLM.callOptions(options));
  }

  private cacheMode(options: CompletionOptions): CacheMode {
    return resolveCacheMode(options, this.settings.llm.no_cache);
  }

  /** Asks one question and resolves to the answer text. */
  ask(question: string, options?: AskOptions): Promise<string>;
  /**
   * Asks several questions concurrently. An item that fails is `null` (and logged), as in the
   * original, so one bad answer does not lose the others.
   */
  ask(questions: readonly string[], options?: AskOptions): Promise<(string | null)[]>;
  async ask(
    questions: string | readonly string[],
    options: AskOptions = {},
  ): Promise<string | (string | null)[]> {
    const group = this.completionGroup(options);
    const mode = this.cacheMode(options);
    return mapBatch(questions, async (question) => {
      const response = await this.complete(
        group,
        this.questionRequest(question, options),
        options,
        mode,
      );
      return response.content;
    });
  }

  /**
   * Asks a question and yields the answer as it is generated. The stream reads and writes the
   * cache, or with `noCache`/`cache: "off"` neither (the router has no write-only stream).
   */
  async *askStream(question: string, options: AskOptions = {}): AsyncIterable<string> {
    const group = this.completionGroup(options);
    yield* this.backends.completion.stream(group, this.questionRequest(question, options), {
      ...LLM.callOptions(options),
      noCache: this.cacheMode(options) !== "read-write",
    });
  }

  /**
   * Sends a conversation (system prompt, history, tool calls and results, in OpenAI's chat
   * shape) and resolves to the answer: text, tool calls (not run: see `runTools`), finish
   * reason, the assistant message to append, usage. Every provider maps it natively.
   * @throws {SendToNotSpecifiedError} when no group is given or configured
   * @throws thryd's `InvalidRequestError` for a malformed conversation and
   * `UnsupportedFeatureError` for a field the provider cannot carry
   */
  async chat(messages: readonly ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    const group = this.completionGroup(options);
    const request: CompletionRequest = {
      messages,
      ...completionParameters(options, this.settings.llm),
      ...(options.tools === undefined ? {} : { tools: options.tools }),
      ...(options.toolChoice === undefined ? {} : { tool_choice: options.toolChoice }),
      ...(options.parallelToolCalls === undefined
        ? {}
        : { parallel_tool_calls: options.parallelToolCalls }),
      ...(options.responseFormat === undefined ? {} : { response_format: options.responseFormat }),
    };
    return chatResultOf(await this.complete(group, request, options, this.cacheMode(options)));
  }

  /**
   * The tool loop: asks `input` (a question, with `system`/`history`/`images`, or a whole
   * conversation) with `tools` offered, runs every tool call of an answer concurrently, sends
   * the results back as tool messages, and repeats until an answer calls no tool. Tools are
   * function tools, MCP managers (each server's tools) or names of `[mcp]` servers, started for
   * the run and closed after it. A tool's failure — unknown name, arguments that are not JSON or
   * do not match its schema, a thrown error, an MCP error or `isError` result, its time limit —
   * goes back to the model as an error result; it never ends the loop.
   * @throws {ToolLoopMaxStepsError} after `maxSteps` (8) model calls that all called tools
   * @throws {ToolLoopAbortedError} when `signal` fires; running tools see it, no model call follows
   * @throws {InvalidOptionError} for a malformed tool, two tools of one name, `maxSteps` below 1,
   * or `history`/`system`/`images` with a conversation
   * @throws {McpServerNotConfiguredError} for a server name the config does not have, and the
   * MCP manager's error for a server that does not start
   */
  async runTools(
    input: string | readonly ChatMessage[],
    options: RunToolsOptions,
  ): Promise<ToolLoopResult> {
    const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    if (!Number.isInteger(maxSteps) || maxSteps < 1) {
      throw new InvalidOptionError("maxSteps", `must be a whole number from 1, got ${maxSteps}`);
    }
    if (typeof input !== "string") {
      for (const key of ["system", "history", "images"] as const) {
        if (options[key] !== undefined) {
          throw new InvalidOptionError(
            key,
            "applies to a question; with a conversation, put it in the messages",
          );
        }
      }
    }
    const group = this.completionGroup(options);
    const mode = this.cacheMode(options);
    const messages = typeof input === "string" ? questionMessages(input, options) : input;
    const { resolveToolSources } = await import("../tools/resolve-tools.js");
    const toolset = await resolveToolSources(options.tools, async (names) => {
      // Loaded on use: the MCP SDK is not needed by a run without server names.
      const { openConfigServers } = await import("../tools/open-config-servers.js");
      return openConfigServers(this.settings.mcp, names);
    });
    const parameters = completionParameters(options, this.settings.llm);
    try {
      return await runToolLoop({
        messages,
        tools: toolset.tools,
        maxSteps,
        toolTimeoutMs: options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
        signal: options.signal,
        onToolCall: options.onToolCall,
        onStep: options.onStep,
        complete: (conversation, definitions) =>
          this.complete(
            group,
            {
              messages: conversation,
              ...parameters,
              ...(definitions.length === 0 ? {} : { tools: definitions }),
              ...(options.toolChoice === undefined || definitions.length === 0
                ? {}
                : { tool_choice: options.toolChoice }),
              ...(options.parallelToolCalls === undefined || definitions.length === 0
                ? {}
                : { parallel_tool_calls: options.parallelToolCalls }),
            },
            options,
            mode,
          ),
      });
    } finally {
      await toolset.close();
    }
  }

  /**
   * One question's validate loop: ask, validate, and after an invalid answer (or a failed call)
   * re-ask with the cache read skipped and the fresh answer written, so the valid answer
   * replaces the invalid one in the cache. A failure `escapes` says is thrown at once.
   */
  private async validateOne<T>(
    group: string,
    request: CompletionRequest,
    validator: Validator<T>,
    options: ValidateOptions<T>,
    escapes: (error: unknown) => boolean = () => false,
  ): Promise<T | null> {
    const maxValidations = options.maxValidations ?? 3;
    let mode = this.cacheMode(options);
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxValidations; attempt += 1) {
      try {
        const answer = (await this.complete(group, request, options, mode)).content;
        const value = await validator(answer);
        if (value !== undefined && value !== null) return value;
        logger.debug(() => `answer ${attempt}/${maxValidations} did not validate:\n${answer}`);
      } catch (error) {
        if (options.signal?.aborted || escapes(error)) throw error;
        lastError = error;
        logger.warn(`attempt ${attempt}/${maxValidations} failed`, { error });
      }
      mode = retryCacheMode(mode);
    }
    if (options.default !== undefined) return options.default;
    logger.error(new ValidationFailedError(maxValidations, lastError));
    return null;
  }

  /**
   * Asks until `validator` turns an answer into a value (anything but `undefined`/`null`), at most
   * `maxValidations` times; every re-ask skips the cache read and writes its fresh answer.
   * @returns the value, else `options.default`, else `null` (logged), as the original
   * @throws {InvalidOptionError} for `maxValidations` below 1
   * @throws {SendToNotSpecifiedError} when no group is given or configured
   */
  askValidate<T>(
    question: string,
    validator: Validator<T>,
    options?: ValidateOptions<T>,
  ): Promise<T | null>;
  /** The batch form: one result per question, in order, concurrently. */
  askValidate<T>(
    questions: readonly string[],
    validator: Validator<T>,
    options?: ValidateOptions<T>,
  ): Promise<(T | null)[]>;
  async askValidate<T>(
    questions: string | readonly string[],
    validator: Validator<T>,
    options: ValidateOptions<T> = {},
  ): Promise<T | null | (T | null)[]> {
    return this.validateBatch(questions, () => validator, options);
  }

  /** @throws {InvalidOptionError} for `maxValidations` below 1 */
  private static checkMaxValidations(options: ValidateOptions<unknown>): void {
    if (options.maxValidations !== undefined && !(options.maxValidations >= 1)) {
      throw new InvalidOptionError(
        "maxValidations",
        `must be at least 1, got ${options.maxValidations}`,
      );
    }
  }

  /** Runs the validate loop on one prompt or each prompt of a batch, `validatorFor(index)` each. */
  private async validateBatch<T>(
    prompts: string | readonly string[],
    validatorFor: (index: number) => Validator<T>,
    options: ValidateOptions<T>,
  ): Promise<T | null | (T | null)[]> {
    LLM.checkMaxValidations(options);
    const group = this.completionGroup(options);
    const result = await mapBatch(prompts, (prompt, index) =>
      this.validateOne(group, this.questionRequest(prompt, options), validatorFor(index), options),
    );
    return result as T | null | (T | null)[];
  }

  private repairJson(): boolean {
    return this.settings.general.use_json_repair ?? true;
  }

  private templateName(key: string): string {
    return this.settings.templates[`${key}_template`] ?? `built-in/${key}`;
  }

  /** Renders template `key` once for a single input, or once per item of a batch. */
  private render<I>(
    key: string,
    input: I | readonly I[],
    data: (item: I) => Record<string, unknown>,
  ): string | string[] {
    const name = this.templateName(key);
    if (Array.isArray(input)) return this.templates.renderMany(name, input.map(data));
    return this.templates.render(name, data(input as I));
  }

  /**
   * Asks for a JSON value matching `schema` (a zod schema or anything with `safeParse`), the
   * original's `propose`. With a JSON Schema (`jsonSchema()`, or zod's Standard JSON Schema) the
   * request carries it as `response_format: json_schema` (native structured output, `strict`
   * when the schema allows it); a group that rejects that falls back, for this and later calls,
   * to the prompt that shows the schema. Every answer is checked with `safeParse` either way.
   * @returns the value, else `options.default`, else `null` (logged)
   * @throws {InvalidOptionError} for `maxValidations` below 1
   */
  askJson<T>(
    requirement: string,
    schema: JsonSchemaLike<T>,
    options?: JsonOptions<T>,
  ): Promise<T | null>;
  /** The batch form: one value (or `null`) per requirement, in order. */
  askJson<T>(
    requirements: readonly string[],
    schema: JsonSchemaLike<T>,
    options?: JsonOptions<T>,
  ): Promise<(T | null)[]>;
  async askJson<T>(
    requirements: string | readonly string[],
    schema: JsonSchemaLike<T>,
    options: JsonOptions<T> = {},
  ): Promise<T | null | (T | null)[]> {
    LLM.checkMaxValidations(options);
    const group = this.completionGroup(options);
    const jsonSchema = jsonSchemaOf(schema as JsonSchemaLike<unknown>);
    const validator: Validator<T> = (answer) => {
      const parsed = schema.safeParse(parseJsonAnswer(answer, { repair: this.repairJson() }));
      return parsed.success ? parsed.data : undefined;
    };
    const result = await mapBatch(requirements, (requirement) =>
      this.askJsonOne(group, requirement, jsonSchema, validator, options),
    );
    return result as T | null | (T | null)[];
  }

  private async askJsonOne<T>(
    group: string,
    requirement: string,
    jsonSchema: Record<string, unknown> | undefined,
    validator: Validator<T>,
    options: JsonOptions<T>,
  ): Promise<T | null> {
    const mode = options.structuredOutput ?? "auto";
    const native =
      jsonSchema !== undefined &&
      (mode === "native" || (mode === "auto" && !this.#promptOnlyGroups.has(group)));
    if (native) {
      const schema = wireSchema(jsonSchema);
      const request: CompletionRequest = {
        ...this.questionRequest(requirement, options),
        response_format: {
          type: "json_schema",
          json_schema: {
            name: options.schemaName ?? "answer",
            schema,
            strict: isStrictSchema(schema),
          },
        },
      };
      try {
        return await this.validateOne(
          group,
          request,
          validator,
          options,
          mode === "auto" ? isStructuredOutputRejection : undefined,
        );
      } catch (error) {
        if (options.signal?.aborted || !isStructuredOutputRejection(error)) throw error;
        this.#promptOnlyGroups.add(group);
        logger.warn(
          `group "${group}" rejected native structured output; askJson prompts for JSON there from now on`,
          { error },
        );
      }
    }
    const prompt = this.render("create_json_obj", requirement, (text) => ({
      requirement: text,
      json_schema: jsonSchema ? JSON.stringify(jsonSchema, null, 2) : "(any JSON value)",
    })) as string;
    return this.validateOne(group, this.questionRequest(prompt, options), validator, options);
  }

  /**
   * Asks for a list of `valueType` values (`str`, `int`, `float`, `bool`), exactly `k` of them when
   * `k` is set (`alist_v`).
   */
  askList<V extends ValueType = "str">(
    requirement: string,
    options?: ListOptions<V>,
  ): Promise<ValueOf<V>[] | null>;
  /** The batch form: one list (or `null`) per requirement, in order. */
  askList<V extends ValueType = "str">(
    requirements: readonly string[],
    options?: ListOptions<V>,
  ): Promise<(ValueOf<V>[] | null)[]>;
  async askList<V extends ValueType = "str">(
    requirements: string | readonly string[],
    options: ListOptions<V> = {},
  ): Promise<ValueOf<V>[] | null | (ValueOf<V>[] | null)[]> {
    const valueType = (options.valueType ?? "str") as V;
    const prompts = this.render("liststr", requirements, (requirement) => ({
      requirement,
      k: options.k ?? 0,
      value_type: VALUE_TYPE_NAMES[valueType],
    }));
    const parser = JsonParser.captureJsonCodeblock();
    return this.validateBatch(
      prompts,
      () => (answer) => parser.validateList(answer, valueType, options.k, this.repairJson()),
      options,
    );
  }

  /**
   * Asks for path strings the requirement points at (`apathstr`): the `pathstr` template wrapped in
   * `askList`'s.
   */
  askPathstr(requirement: string, options?: ListOptions<"str">): Promise<string[] | null>;
  /** The batch form: one list of paths (or `null`) per requirement, in order. */
  askPathstr(
    requirements: readonly string[],
    options?: ListOptions<"str">,
  ): Promise<(string[] | null)[]>;
  async askPathstr(
    requirements: string | readonly string[],
    options: ListOptions<"str"> = {},
  ): Promise<string[] | null | (string[] | null)[]> {
    const prompts = this.render("pathstr", requirements, (requirement) => ({ requirement }));
    const listOptions = { ...options, valueType: "str" as const };
    return typeof prompts === "string"
      ? this.askList(prompts, listOptions)
      : this.askList(prompts, listOptions);
  }

  /** Asks for the one path the requirement points at (`awhich_pathstr`), `null` when none. */
  askWhichPathstr(requirement: string, options?: ValidateOptions<string[]>): Promise<string | null>;
  /** The batch form: one path (or `null`) per requirement, in order. */
  askWhichPathstr(
    requirements: readonly string[],
    options?: ValidateOptions<string[]>,
  ): Promise<(string | null)[]>;
  async askWhichPathstr(
    requirements: string | readonly string[],
    options: ValidateOptions<string[]> = {},
  ): Promise<string | null | (string | null)[]> {
    const last = (paths: string[] | null) => paths?.at(-1) ?? null;
    const listOptions = { ...options, k: 1, valueType: "str" as const };
    if (typeof requirements === "string") {
      return last(await this.askPathstr(requirements, listOptions));
    }
    return (await this.askPathstr(requirements, listOptions)).map(last);
  }

  /**
   * Asks for a mapping whose keys read as `keyType` and whose values are `valueType`, exactly `k`
   * entries when `k` is set (`amapping_kv`). Keys stay strings, as JSON keys are.
   */
  askMapping<V extends ValueType = "str">(
    requirement: string,
    options?: MappingOptions<V>,
  ): Promise<Record<string, ValueOf<V>> | null>;
  /** The batch form: one mapping (or `null`) per requirement, in order. */
  askMapping<V extends ValueType = "str">(
    requirements: readonly string[],
    options?: MappingOptions<V>,
  ): Promise<(Record<string, ValueOf<V>> | null)[]>;
  async askMapping<V extends ValueType = "str">(
    requirements: string | readonly string[],
    options: MappingOptions<V> = {},
  ): Promise<Record<string, ValueOf<V>> | null | (Record<string, ValueOf<V>> | null)[]> {
    const keyType = options.keyType ?? "str";
    const valueType = (options.valueType ?? "str") as V;
    const prompts = this.render("mapping", requirements, (requirement) => ({
      requirement,
      k: options.k ?? 0,
      key_type: VALUE_TYPE_NAMES[keyType],
      value_type: VALUE_TYPE_NAMES[valueType],
    }));
    const parser = JsonParser.captureJsonCodeblock();
    return this.validateBatch(
      prompts,
      () => (answer) =>
        parser.validateDict(answer, keyType, valueType, options.k, this.repairJson()),
      options,
    );
  }

  /**
   * Chooses among `choices` by name (`achoose`): the answer is read as a set of names (exactly `k`
   * when `k` is set); the choices it names are kept, in `choices` order, unknown names ignored. An
   * answer naming no valid choice is re-asked.
   * @throws {DuplicateChoiceError} when two choices share a name
   */
  choose<C extends Choice>(
    instruction: string,
    choices: readonly C[],
    options?: ChooseOptions<C>,
  ): Promise<C[] | null>;
  /** The batch form: one selection (or `null`) per instruction, in order. */
  choose<C extends Choice>(
    instructions: readonly string[],
    choices: readonly C[],
    options?: ChooseOptions<C>,
  ): Promise<(C[] | null)[]>;
  async choose<C extends Choice>(
    instructions: string | readonly string[],
    choices: readonly C[],
    options: ChooseOptions<C> = {},
  ): Promise<C[] | null | (C[] | null)[]> {
    assertDistinctNames(choices.map((choice) => choice.name));
    const isIncluded = options.isIncluded ?? ((names, choice) => names.has(choice.name));
    const prompts = this.render("make_choice", instructions, (instruction) => ({
      instruction,
      options: choices.map((choice) => ({
        name: choice.name,
        briefing: choice.briefing ?? choice.name,
      })),
      k: options.k ?? 0,
    }));
    const parser = JsonParser.captureJsonCodeblock();
    return this.validateBatch(
      prompts,
      () => (answer) => {
        const names = parser.validateSet(answer, "str", options.k, this.repairJson());
        if (!names) return undefined;
        const chosen = choices.filter((choice) => isIncluded(names, choice));
        if (chosen.length === 0) {
          logger.warn(`no valid choice among the answered names ${JSON.stringify([...names])}`);
          return undefined;
        }
        return chosen;
      },
      options,
    );
  }

  /**
   * Picks exactly one of `choices` (`apick`).
   * @throws {NothingPickedError} when no answer named a valid choice (and no `default` is given)
   * @throws {DuplicateChoiceError} when two choices share a name
   */
  pick<C extends Choice>(
    instruction: string,
    choices: readonly C[],
    options?: ValidateOptions<C>,
  ): Promise<C>;
  /** The batch form: one pick per instruction, in order; an instruction nothing was picked for is `null`. */
  pick<C extends Choice>(
    instructions: readonly string[],
    choices: readonly C[],
    options?: ValidateOptions<C>,
  ): Promise<(C | null)[]>;
  async pick<C extends Choice>(
    instructions: string | readonly string[],
    choices: readonly C[],
    options: ValidateOptions<C> = {},
  ): Promise<C | (C | null)[]> {
    const { default: fallback, ...rest } = options;
    const first = (chosen: C[] | null): C | null => chosen?.[0] ?? fallback ?? null;
    if (typeof instructions !== "string") {
      return (await this.choose(instructions, choices, { ...rest, k: 1 })).map(first);
    }
    const picked = first(await this.choose(instructions, choices, { ...rest, k: 1 }));
    if (picked === null) throw new NothingPickedError(choices.map((choice) => choice.name));
    return picked;
  }

  /**
   * Chooses members of an enum (`aenum_choose`): a TS enum (string or numeric), an array of string
   * literals, or a zod enum. The model answers with member names; the members' values are
   * returned, exactly `k` of them when `k` is set, else every member the answer names (at least
   * one). `description` (or a zod enum's `.describe()`) is shown as the enum's docs.
   */
  enumChoose<E extends EnumLike>(
    instruction: string,
    enumLike: E,
    options?: ValidateOptions<EnumValue<E>[]> & { k?: number; description?: string },
  ): Promise<EnumValue<E>[] | null>;
  /** The batch form: one selection (or `null`) per instruction, in order. */
  enumChoose<E extends EnumLike>(
    instructions: readonly string[],
    enumLike: E,
    options?: ValidateOptions<EnumValue<E>[]> & { k?: number; description?: string },
  ): Promise<(EnumValue<E>[] | null)[]>;
  async enumChoose<E extends EnumLike>(
    instructions: string | readonly string[],
    enumLike: E,
    options: ValidateOptions<EnumValue<E>[]> & { k?: number; description?: string } = {},
  ): Promise<EnumValue<E>[] | null | (EnumValue<E>[] | null)[]> {
    const members = enumMembers(enumLike);
    const prompts = this.render("make_enum_choice", instructions, (instruction) => ({
      instruction,
      options: members.map((member) => member.name),
      enum_doc: options.description ?? enumDescription(enumLike) ?? null,
      k: options.k ?? 0,
    }));
    const parser = JsonParser.captureJsonCodeblock();
    return this.validateBatch(
      prompts,
      () => (answer) => {
        const names = parser.validateSet(answer, "str", options.k, this.repairJson());
        if (!names) return undefined;
        const chosen = members.filter((member) => names.has(member.name));
        if (chosen.length === 0 || (options.k && chosen.length !== options.k)) return undefined;
        return chosen.map((member) => member.value);
      },
      options,
    );
  }

  /** Asks a yes/no question and resolves to the boolean answer (`ajudge`). */
  judge(
    prompt: string,
    options?: ValidateOptions<boolean> & { affirmCase?: string; denyCase?: string },
  ): Promise<boolean | null>;
  /** The batch form: one judgment (or `null`) per prompt, in order. */
  judge(
    prompts: readonly string[],
    options?: ValidateOptions<boolean> & { affirmCase?: string; denyCase?: string },
  ): Promise<(boolean | null)[]>;
  async judge(
    prompts: string | readonly string[],
    options: ValidateOptions<boolean> & { affirmCase?: string; denyCase?: string } = {},
  ): Promise<boolean | null | (boolean | null)[]> {
    const rendered = this.render("make_judgment", prompts, (prompt) => ({
      prompt,
      affirm_case: options.affirmCase ?? "",
      deny_case: options.denyCase ?? "",
    }));
    return this.validateBatch(
      rendered,
      () => (answer) => {
        const value = parseJsonAnswer(answer, { repair: this.repairJson() });
        return typeof value === "boolean" ? value : undefined;
      },
      options,
    );
  }

  /**
   * Asks for free text (`ageneric_string`). The answer may frame it as the original's generic
   * block (`--- Start of String ---` … `--- End of String ---`) or as a ```string code block.
   */
  genericString(requirement: string, options?: ValidateOptions<string>): Promise<string | null>;
  /** The batch form: one text (or `null`) per requirement, in order. */
  genericString(
    requirements: readonly string[],
    options?: ValidateOptions<string>,
  ): Promise<(string | null)[]>;
  async genericString(
    requirements: string | readonly string[],
    options: ValidateOptions<string> = {},
  ): Promise<string | null | (string | null)[]> {
    const prompts = this.render("generic_string", requirements, (requirement) => ({
      requirement,
      language: "String",
    }));
    return this.validateBatch(prompts, () => extractGenericString, options);
  }

  /**
   * Asks for code and returns the body of its code block (`acode_string`): a block tagged
   * `codeLanguage` or untagged; with no language, any block.
   */
  codeString(
    requirement: string,
    codeLanguage?: string,
    options?: ValidateOptions<string>,
  ): Promise<string | null>;
  /** The batch form: one code string (or `null`) per requirement, in order. */
  codeString(
    requirements: readonly string[],
    codeLanguage?: string,
    options?: ValidateOptions<string>,
  ): Promise<(string | null)[]>;
  async codeString(
    requirements: string | readonly string[],
    codeLanguage?: string,
    options: ValidateOptions<string> = {},
  ): Promise<string | null | (string | null)[]> {
    const prompts = this.render("code_string", requirements, (requirement) => ({
      requirement,
      code_language: codeLanguage ?? null,
    }));
    return this.validateBatch(
      prompts,
      () => (answer) => extractCode(answer, codeLanguage),
      options,
    );
  }

  /**
   * Asks for files of code (`acode_snippets`): each a path line, `>>>>><language>`, the code and
   * `<<<<<`. An answer with no snippet is re-asked. `CodeSnippet.write()` writes one.
   */
  codeSnippets(
    requirement: string,
    codeLanguage?: string,
    options?: ValidateOptions<CodeSnippet[]>,
  ): Promise<CodeSnippet[] | null>;
  /** The batch form: one list of snippets (or `null`) per requirement, in order. */
  codeSnippets(
    requirements: readonly string[],
    codeLanguage?: string,
    options?: ValidateOptions<CodeSnippet[]>,
  ): Promise<(CodeSnippet[] | null)[]>;
  async codeSnippets(
    requirements: string | readonly string[],
    codeLanguage?: string,
    options: ValidateOptions<CodeSnippet[]> = {},
  ): Promise<CodeSnippet[] | null | (CodeSnippet[] | null)[]> {
    const prompts = this.render("code_snippet", requirements, (requirement) => ({
      requirement,
      code_language: codeLanguage ?? null,
    }));
    return this.validateBatch(
      prompts,
      () => (answer) => {
        const snippets = snippetParser.parse(answer);
        return snippets.length > 0 ? snippets : undefined;
      },
      options,
    );
  }

  /**
   * Embeds one text into one vector (`vectorize(str)`). Defaults come from `[embedding]`;
   * `maxBatchEmbSize` defaults to 10 texts per API call, as the original.
   * @throws {SendToNotSpecifiedError} | {SettingNotSpecifiedError} for a missing group or `ndim`
   */
  embed(text: string, options?: EmbedOptions): Promise<number[]>;
  /** Embeds several texts, one vector each, in order. */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]>;
  async embed(
    texts: string | readonly string[],
    options: EmbedOptions = {},
  ): Promise<number[] | number[][]> {
    const defaults = this.settings.embedding;
    const group = options.sendTo ?? defaults.send_to ?? undefined;
    if (!group) throw new SendToNotSpecifiedError("embedding");
    const ndim = options.ndim ?? defaults.ndim ?? undefined;
    if (!ndim) {
      throw new SettingNotSpecifiedError(
        "embedding.ndim",
        "pass { ndim } or set embedding.ndim in fabricatio.toml",
      );
    }
    const response = await LLM.dispatch(
      this.backends.embedding,
      group,
      {
        texts: typeof texts === "string" ? [texts] : texts,
        ndim,
        maxBatchEmbSize:
          options.maxBatchEmbSize ?? defaults.max_batch_emb_size ?? DEFAULT_MAX_BATCH_EMB_SIZE,
      },
      resolveCacheMode(options, defaults.no_cache),
      LLM.callOptions(options),
    );
    return typeof texts === "string" ? (response.embeddings[0] as number[]) : response.embeddings;
  }

  /**
   * Ranks `documents` against `query` (`arank`): `[index, score]` pairs, best first.
   * @throws {EmptyRerankQueryError} for an empty or blank query, as the original
   * @throws {SendToNotSpecifiedError} when no reranker group is given or configured
   */
  async rerank(
    query: string,
    documents: readonly string[],
    options: RerankOptions = {},
  ): Promise<[number, number][]> {
    if (query.trim() === "") throw new EmptyRerankQueryError();
    const defaults = this.settings.reranker;
    const group = options.sendTo ?? defaults.send_to ?? undefined;
    if (!group) throw new SendToNotSpecifiedError("reranker");
    const response = await LLM.dispatch(
      this.backends.rerank,
      group,
      { query, documents },
      resolveCacheMode(options, defaults.no_cache),
      LLM.callOptions(options),
    );
    return response.rankings;
  }
}
