import { getLogger } from "@fabricatio/logger";
import {
  SendToNotSpecifiedError,
  SettingNotSpecifiedError,
  ValidationFailedError,
} from "../errors.js";
import type { TemplateManager } from "../templates/template-manager.js";
import { extractCodeBlock, parseJsonAnswer } from "./answer-parsing.js";
import type {
  AskOptions,
  Choice,
  EmbedOptions,
  JsonSchemaLike,
  LlmBackends,
  LlmSettings,
  RerankOptions,
  ValidateOptions,
} from "./types.js";

const logger = getLogger("fabricatio:llm");

type Validator<T> = (answer: string) => T | undefined | null | Promise<T | undefined | null>;

function isPrimitiveOfType(value: unknown, type: string): boolean {
  switch (type) {
    case "int":
    case "integer":
      return Number.isInteger(value);
    case "float":
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "bool":
    case "boolean":
      return typeof value === "boolean";
    default:
      return typeof value === "string";
  }
}

/**
 * What the original's `UseLLM`, `UseEmbedding` and `UseReranker` offer over its router, in
 * TypeScript: questions, validated and structured answers, choices, judgments, embeddings and
 * reranking. Build it with `createLLM(config)`.
 */
export class LLM {
  constructor(
    private readonly backends: LlmBackends,
    private readonly settings: LlmSettings,
    private readonly templates: TemplateManager,
  ) {}

  private completionGroup(options: AskOptions): string {
    const preferred = options.sendTo ?? this.settings.llm.send_to ?? undefined;
    const group = this.settings.resolveSendTo(preferred ?? undefined);
    if (!group) throw new SendToNotSpecifiedError();
    return group;
  }

  private completionRequest(question: string, options: AskOptions) {
    const defaults = this.settings.llm;
    const pick = <V>(value: V | undefined, fallback: V | null | undefined): V | undefined =>
      value ?? fallback ?? undefined;
    const request = {
      message: question,
      images: options.images,
      temperature: pick(options.temperature, defaults.temperature),
      top_p: pick(options.topP, defaults.top_p),
      max_completion_tokens: pick(options.maxCompletionTokens, defaults.max_completion_tokens),
      presence_penalty: pick(options.presencePenalty, defaults.presence_penalty),
      frequency_penalty: pick(options.frequencyPenalty, defaults.frequency_penalty),
      effort: pick(options.effort, defaults.effort),
    };
    // Unset fields are left out so they do not reach the cache key or the provider.
    return Object.fromEntries(
      Object.entries(request).filter(([, value]) => value !== undefined),
    ) as {
      message: string;
    };
  }

  private callOptions(options: AskOptions) {
    return {
      noCache: options.noCache ?? this.settings.llm.no_cache ?? false,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      maxWaitMs: options.maxWaitMs,
    };
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
    const one = async (question: string): Promise<string> => {
      const response = await this.backends.completion.invoke(
        group,
        this.completionRequest(question, options),
        this.callOptions(options),
      );
      return response.content;
    };
    if (typeof questions === "string") return one(questions);
    return Promise.all(
      questions.map((question, index) =>
        one(question).catch((error: unknown) => {
          logger.error(`question ${index} of a batch failed`, { error });
          return null;
        }),
      ),
    );
  }

  /** Asks a question and yields the answer as it is generated. */
  async *askStream(question: string, options: AskOptions = {}): AsyncIterable<string> {
    const group = this.completionGroup(options);
    yield* this.backends.completion.stream(
      group,
      this.completionRequest(question, options),
      this.callOptions(options),
    );
  }

  /**
   * Asks until `validator` turns an answer into a value (anything but `undefined`/`null`), at most
   * `maxValidations` times. Every attempt after a failed one bypasses the cache, which would
   * otherwise replay the same invalid answer.
   * @returns the value, else `options.default`, else `null` (logged), as the original
   */
  async askValidate<T>(
    question: string,
    validator: Validator<T>,
    options: ValidateOptions<T> = {},
  ): Promise<T | null> {
    const maxValidations = options.maxValidations ?? 3;
    let lastError: unknown;
    for (let attempt = 0; attempt < maxValidations; attempt += 1) {
      const bypassCache = attempt > 0 || options.noCache === true;
      try {
        const answer = await this.ask(question, { ...options, noCache: bypassCache });
        const value = await validator(answer);
        if (value !== undefined && value !== null) return value;
        logger.debug(() => `answer ${attempt + 1}/${maxValidations} did not validate`);
      } catch (error) {
        lastError = error;
        logger.warn(`attempt ${attempt + 1}/${maxValidations} failed`, { error });
      }
    }
    if (options.default !== undefined) return options.default;
    logger.error(new ValidationFailedError(maxValidations, lastError));
    return null;
  }

  private repairJson(): boolean {
    return this.settings.general.use_json_repair ?? true;
  }

  private template(key: string, fallback: string): string {
    return this.settings.templates[key] ?? fallback;
  }

  /**
   * Asks for a JSON value matching `schema` (a zod schema or anything with `safeParse`), the
   * original's `propose`. The schema's JSON Schema, when it can give one, goes into the prompt.
   */
  async askJson<T>(
    requirement: string,
    schema: JsonSchemaLike<T>,
    options: ValidateOptions<T> = {},
  ): Promise<T | null> {
    const prompt = this.templates.render(
      this.template("create_json_obj_template", "built-in/create_json_obj"),
      {
        requirement,
        json_schema: schema.jsonSchema
          ? JSON.stringify(schema.jsonSchema(), null, 2)
          : "(any JSON value)",
      },
    );
    return this.askValidate(
      prompt,
      (answer) => {
        const parsed = schema.safeParse(parseJsonAnswer(answer, { repair: this.repairJson() }));
        return parsed.success ? parsed.data : undefined;
      },
      options,
    );
  }

  /** Asks for a list of `valueType` (`str`, `int`, `float`, `bool`) values, exactly `k` when given. */
  async askList<T extends string | number | boolean = string>(
    requirement: string,
    options: ValidateOptions<T[]> & {
      k?: number;
      valueType?: "str" | "int" | "float" | "bool";
    } = {},
  ): Promise<T[] | null> {
    const valueType = options.valueType ?? "str";
    const prompt = this.templates.render(this.template("liststr_template", "built-in/liststr"), {
      requirement,
      k: options.k,
      value_type: valueType,
    });
    return this.askValidate(
      prompt,
      (answer) => {
        const value = parseJsonAnswer(answer, { repair: this.repairJson() });
        if (!Array.isArray(value) || !value.every((item) => isPrimitiveOfType(item, valueType)))
          return undefined;
        if (options.k && value.length !== options.k) return undefined;
        return value as T[];
      },
      options,
    );
  }

  /** Asks for a mapping of `keyType` to `valueType` values, exactly `k` entries when given. */
  async askMapping(
    requirement: string,
    options: ValidateOptions<Record<string, unknown>> & {
      k?: number;
      keyType?: "str" | "int" | "bool";
      valueType?: "str" | "int" | "float" | "bool";
    } = {},
  ): Promise<Record<string, unknown> | null> {
    const valueType = options.valueType ?? "str";
    const prompt = this.templates.render(this.template("mapping_template", "built-in/mapping"), {
      requirement,
      k: options.k,
      key_type: options.keyType ?? "str",
      value_type: valueType,
    });
    return this.askValidate(
      prompt,
      (answer) => {
        const value = parseJsonAnswer(answer, { repair: this.repairJson() });
        if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
        const entries = Object.entries(value);
        if (!entries.every(([, item]) => isPrimitiveOfType(item, valueType))) return undefined;
        if (options.k && entries.length !== options.k) return undefined;
        return value as Record<string, unknown>;
      },
      options,
    );
  }

  /** Chooses among `choices` by name; exactly `k` of them when `k` is given, otherwise any number. */
  async choose<C extends Choice>(
    instruction: string,
    choices: readonly C[],
    options: ValidateOptions<C[]> & { k?: number } = {},
  ): Promise<C[] | null> {
    const byName = new Map(choices.map((choice) => [choice.name, choice]));
    const prompt = this.templates.render(
      this.template("make_choice_template", "built-in/make_choice"),
      {
        instruction,
        options: choices.map((choice) => ({
          name: choice.name,
          briefing: choice.briefing ?? choice.name,
        })),
        k: options.k,
      },
    );
    return this.askValidate(
      prompt,
      (answer) => {
        const names = parseJsonAnswer(answer, { repair: this.repairJson() });
        if (!Array.isArray(names) || names.length === 0) return undefined;
        const chosen = names.map((name) => byName.get(String(name)));
        if (chosen.some((choice) => choice === undefined)) return undefined;
        if (options.k && chosen.length !== options.k) return undefined;
        return chosen as C[];
      },
      options,
    );
  }

  /** Picks exactly one of `choices`. */
  async pick<C extends Choice>(
    instruction: string,
    choices: readonly C[],
    options: ValidateOptions<C> = {},
  ): Promise<C | null> {
    const { default: fallback, ...rest } = options;
    const chosen = await this.choose(instruction, choices, { ...rest, k: 1 });
    return chosen?.[0] ?? fallback ?? null;
  }

  /** Asks a yes/no question and resolves to the boolean answer. */
  async judge(
    prompt: string,
    options: ValidateOptions<boolean> & { affirmCase?: string; denyCase?: string } = {},
  ): Promise<boolean | null> {
    const rendered = this.templates.render(
      this.template("make_judgment_template", "built-in/make_judgment"),
      {
        prompt,
        affirm_case: options.affirmCase,
        deny_case: options.denyCase,
      },
    );
    return this.askValidate(
      rendered,
      (answer) => {
        const value = parseJsonAnswer(answer, { repair: this.repairJson() });
        return typeof value === "boolean" ? value : undefined;
      },
      options,
    );
  }

  /** Asks for free text wrapped in a `language` code block (default `string`) and unwraps it. */
  async genericString(
    requirement: string,
    options: ValidateOptions<string> & { language?: string } = {},
  ): Promise<string | null> {
    const language = options.language ?? "string";
    const prompt = this.templates.render(
      this.template("generic_string_template", "built-in/generic_string"),
      {
        requirement,
        language,
      },
    );
    return this.askValidate(prompt, (answer) => extractCodeBlock(answer, language), options);
  }

  /** Asks for code in `codeLanguage` and returns the body of its code block. */
  async codeString(
    requirement: string,
    codeLanguage: string,
    options: ValidateOptions<string> = {},
  ): Promise<string | null> {
    const prompt = this.templates.render(
      this.template("code_string_template", "built-in/code_string"),
      {
        requirement,
        code_language: codeLanguage,
      },
    );
    return this.askValidate(prompt, (answer) => extractCodeBlock(answer, codeLanguage), options);
  }

  /** Embeds `texts`, in order. Defaults come from the config's `[embedding]` table. */
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<number[][]> {
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
    const response = await this.backends.embedding.invoke(
      group,
      {
        texts,
        ndim,
        maxBatchEmbSize: options.maxBatchEmbSize ?? defaults.max_batch_emb_size ?? undefined,
      },
      {
        noCache: options.noCache ?? defaults.no_cache ?? false,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
      },
    );
    return response.embeddings;
  }

  /** Ranks `documents` against `query`: `[index, score]` pairs, best first. */
  async rerank(
    query: string,
    documents: readonly string[],
    options: RerankOptions = {},
  ): Promise<[number, number][]> {
    const defaults = this.settings.reranker;
    const group = options.sendTo ?? defaults.send_to ?? undefined;
    if (!group) throw new SendToNotSpecifiedError("reranker");
    const response = await this.backends.rerank.invoke(
      group,
      { query, documents },
      {
        noCache: options.noCache ?? defaults.no_cache ?? false,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
      },
    );
    return response.rankings;
  }
}
