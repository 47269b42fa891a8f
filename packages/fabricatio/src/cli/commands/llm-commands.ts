import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { InputNotFoundError, UsageError, ValidationFailedError } from "../../errors.js";
import type { AskOptions, JsonSchemaLike } from "../../llm/types.js";
import type { CliContext } from "../context.js";
import { printJson, textArgument } from "../io.js";
import { MAX_TIMEOUT_S, parseNumberFlag } from "../parse-number.js";

const TIMEOUT_FLAG = "--timeout <s>";
const TIMEOUT_HELP = "time limit of each attempt, in seconds (default: the provider's, 600)";

function timeoutMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return (
    parseNumberFlag(value, "--timeout", { min: 0, max: MAX_TIMEOUT_S, exclusiveMin: true }) * 1000
  );
}

interface AskFlags {
  sendTo?: string;
  system?: string;
  jsonSchema?: string;
  mcp: string[];
  maxSteps?: string;
  cache: boolean;
  stream?: boolean;
  temperature?: string;
  timeout?: string;
  json?: boolean;
}

const elapsed = (started: number) => Math.round(performance.now() - started);

/** @throws {UsageError} for flags that cannot go together */
function checkCombinations(options: AskFlags, servers: readonly string[]): void {
  const modes = [
    options.stream ? "--stream" : undefined,
    options.jsonSchema === undefined ? undefined : "--json-schema",
    servers.length > 0 ? "--mcp" : undefined,
  ].filter((flag) => flag !== undefined);
  if (modes.length > 1) throw new UsageError(`${modes.join(" and ")} cannot be combined`);
  if (options.maxSteps !== undefined && servers.length === 0) {
    throw new UsageError("--max-steps applies only with --mcp");
  }
}

/**
 * The JSON Schema of `file` as an `askJson` schema: sent to the model, and every answer checked
 * against it.
 * @throws {InputNotFoundError} | {UsageError} for a missing file, bad JSON, or not an object
 */
async function schemaFromFile(file: string): Promise<JsonSchemaLike<unknown>> {
  if (!existsSync(file)) throw new InputNotFoundError(file);
  let schema: unknown;
  try {
    // Editors on Windows start UTF-8 files with a byte order mark, which JSON.parse rejects.
    schema = JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new UsageError(
      `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new UsageError(`${file} must hold a JSON Schema object`);
  }
  const { jsonSchemaValidator } = await import("../../tools/tool-parameters.js");
  const problemsOf = jsonSchemaValidator(schema as Record<string, unknown>);
  return {
    safeParse: (value) =>
      problemsOf(value).length === 0 ? { success: true, data: value } : { success: false },
    jsonSchema: () => schema,
  };
}

/** `ask --mcp`: the tool loop over the named servers, each tool call on stderr as it starts. */
async function askWithTools(
  context: CliContext,
  question: string,
  servers: readonly string[],
  options: AskFlags,
  askOptions: AskOptions,
): Promise<void> {
  const { io } = context;
  const configured = Object.keys((await context.config()).mcpServers());
  const unknown = servers.find((server) => !configured.includes(server));
  if (unknown !== undefined) {
    throw new UsageError(
      `unknown MCP server "${unknown}"; configured: ${configured.length > 0 ? configured.join(", ") : "none (add [mcp.servers.<name>] or [ext.tool] mcp_servers to fabricatio.toml)"}`,
    );
  }
  const maxSteps =
    options.maxSteps === undefined
      ? undefined
      : parseNumberFlag(options.maxSteps, "--max-steps", {
          min: 1,
          max: MAX_STEPS_FLAG,
          integer: true,
        });
  // Loaded here, not at the top: the other commands start without the logger.
  const { redactSecrets } = await import("@fabricatio/logger");
  const started = performance.now();
  const result = await (await context.llm()).runTools(question, {
    ...askOptions,
    tools: servers,
    maxSteps,
    onToolCall: (call) =>
      io.stderr(redactSecrets(`tool ${call.name} ${call.arguments} (${call.source})\n`)),
    onStep: (step) => {
      for (const call of step.toolCalls) {
        const firstLine = call.content.split("\n")[0] ?? "";
        io.stderr(
          redactSecrets(
            `  ${call.isError ? "failed" : "returned"}: ${firstLine.length > 200 ? `${firstLine.slice(0, 200)}…` : firstLine}\n`,
          ),
        );
      }
    },
  });
  if (!options.json) {
    io.stdout(`${result.content}\n`);
    return;
  }
  printJson(io, {
    question,
    answer: result.content,
    toolCalls: result.steps.flatMap((step) =>
      step.toolCalls.map((call) => ({
        step: step.index,
        name: call.name,
        source: call.source,
        arguments: call.arguments,
        result: call.content,
        isError: call.isError,
      })),
    ),
    steps: result.steps.length,
    elapsedMs: elapsed(started),
  });
}

// Past a thousand model calls a loop is runaway whatever the task.
const MAX_STEPS_FLAG = 1000;

/** `ask`, `embed`, `rerank` and `tokens`. */
export function registerLlmCommands(program: Command, context: CliContext): void {
  const { io } = context;
  program
    .command("ask")
    .description("ask the configured completion model (use - to read the question from stdin)")
    .argument("<text...>", "the question")
    .option("--send-to <group>", "completion group or agent variant (tiny, smol, task, slow, plan)")
    .option("--system <text>", "a system prompt sent before the question")
    .option(
      "--json-schema <file>",
      "answer with JSON matching this JSON Schema file (native structured output where the model has it); prints the JSON",
    )
    .option(
      "--mcp <server>",
      "let the model call the tools of this [mcp] server; repeat or separate with commas for several",
      (value: string, previous: string[]) => [...previous, ...value.split(",")],
      [] as string[],
    )
    .option(
      "--max-steps <n>",
      "with --mcp: model calls at most, a whole number from 1 (default: 8)",
    )
    .option("--no-cache", "do not answer from the cache")
    .option("--stream", "print the answer as it is generated")
    .option("--temperature <t>", "sampling temperature, 0 to 2")
    .option(TIMEOUT_FLAG, TIMEOUT_HELP)
    .option("--json", "print JSON")
    .action(async (parts: string[], options: AskFlags) => {
      const question = await textArgument(io, parts);
      if (!question.trim()) throw new UsageError("the question is empty");
      const servers = options.mcp.map((server) => server.trim()).filter(Boolean);
      checkCombinations(options, servers);
      const askOptions = {
        sendTo: options.sendTo,
        system: options.system,
        noCache: !options.cache,
        temperature:
          options.temperature === undefined
            ? undefined
            : parseNumberFlag(options.temperature, "--temperature", { min: 0, max: 2 }),
        timeoutMs: timeoutMs(options.timeout),
      };
      if (options.jsonSchema !== undefined) {
        const schemaFile = path.resolve(io.cwd, options.jsonSchema);
        const schema = await schemaFromFile(schemaFile);
        const started = performance.now();
        const value = await (await context.llm()).askJson(question, schema, askOptions);
        if (value === null) throw new ValidationFailedError(3);
        if (options.json) {
          printJson(io, { question, answer: value, elapsedMs: elapsed(started) });
        } else printJson(io, value);
        return;
      }
      if (servers.length > 0) {
        await askWithTools(context, question, servers, options, askOptions);
        return;
      }
      const llm = await context.llm();
      if (options.stream && !options.json) {
        for await (const delta of llm.askStream(question, askOptions)) io.stdout(delta);
        io.stdout("\n");
        return;
      }
      const started = performance.now();
      const answer = await llm.ask(question, askOptions);
      if (options.json) printJson(io, { question, answer, elapsedMs: elapsed(started) });
      else io.stdout(`${answer}\n`);
    });

  program
    .command("embed")
    .description("embed texts with the configured embedding model")
    .argument("<text...>", "texts to embed, one per argument")
    .option("--ndim <n>", "output dimensions, a whole number from 1")
    .option("--send-to <group>", "embedding group")
    .option(TIMEOUT_FLAG, TIMEOUT_HELP)
    .option("--json", "print JSON")
    .action(
      async (
        texts: string[],
        options: { ndim?: string; sendTo?: string; timeout?: string; json?: boolean },
      ) => {
        const embeddings = await (await context.llm()).embed(texts, {
          sendTo: options.sendTo,
          ndim:
            options.ndim === undefined
              ? undefined
              : parseNumberFlag(options.ndim, "--ndim", {
                  min: 1,
                  max: Number.POSITIVE_INFINITY,
                  integer: true,
                }),
          timeoutMs: timeoutMs(options.timeout),
        });
        if (options.json) {
          printJson(io, { embeddings });
          return;
        }
        embeddings.forEach((vector, index) => {
          const head = vector
            .slice(0, 4)
            .map((value) => value.toFixed(4))
            .join(", ");
          io.stdout(
            `${texts[index]}\t[${head}${vector.length > 4 ? ", …" : ""}] (${vector.length} dims)\n`,
          );
        });
      },
    );

  program
    .command("rerank")
    .description("rank documents against a query with the configured reranker")
    .requiredOption("--query <q>", "the query")
    .argument("<doc...>", "documents, one per argument")
    .option("--send-to <group>", "reranker group")
    .option(TIMEOUT_FLAG, TIMEOUT_HELP)
    .option("--json", "print JSON")
    .action(
      async (
        documents: string[],
        options: { query: string; sendTo?: string; timeout?: string; json?: boolean },
      ) => {
        const rankings = await (await context.llm()).rerank(options.query, documents, {
          sendTo: options.sendTo,
          timeoutMs: timeoutMs(options.timeout),
        });
        if (options.json) {
          printJson(io, {
            rankings: rankings.map(([index, score]) => ({
              index,
              score,
              document: documents[index],
            })),
          });
          return;
        }
        for (const [index, score] of rankings)
          io.stdout(`${score.toFixed(4)}\t${index}\t${documents[index]}\n`);
      },
    );

  program
    .command("tokens")
    .description("count o200k_base tokens (use - for stdin)")
    .argument("<text...>", "the text")
    .option("--json", "print JSON")
    .action(async (parts: string[], options: { json?: boolean }) => {
      const text = await textArgument(io, parts);
      const { countTokens } = await import("@fabricatio/thryd/tokens");
      const tokens = countTokens(text);
      if (options.json) printJson(io, { tokens, characters: text.length });
      else io.stdout(`${tokens}\n`);
    });
}
