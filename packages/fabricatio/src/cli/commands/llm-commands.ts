import type { Command } from "commander";
import { UsageError } from "../../errors.js";
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

/** `ask`, `embed`, `rerank` and `tokens`. */
export function registerLlmCommands(program: Command, context: CliContext): void {
  const { io } = context;
  program
    .command("ask")
    .description("ask the configured completion model (use - to read the question from stdin)")
    .argument("<text...>", "the question")
    .option("--send-to <group>", "completion group or agent variant (tiny, smol, task, slow, plan)")
    .option("--no-cache", "do not answer from the cache")
    .option("--stream", "print the answer as it is generated")
    .option("--temperature <t>", "sampling temperature, 0 to 2")
    .option(TIMEOUT_FLAG, TIMEOUT_HELP)
    .option("--json", "print JSON")
    .action(
      async (
        parts: string[],
        options: {
          sendTo?: string;
          cache: boolean;
          stream?: boolean;
          temperature?: string;
          timeout?: string;
          json?: boolean;
        },
      ) => {
        const question = await textArgument(io, parts);
        if (!question.trim()) throw new UsageError("the question is empty");
        const askOptions = {
          sendTo: options.sendTo,
          noCache: !options.cache,
          temperature:
            options.temperature === undefined
              ? undefined
              : parseNumberFlag(options.temperature, "--temperature", { min: 0, max: 2 }),
          timeoutMs: timeoutMs(options.timeout),
        };
        const llm = await context.llm();
        if (options.stream && !options.json) {
          for await (const delta of llm.askStream(question, askOptions)) io.stdout(delta);
          io.stdout("\n");
          return;
        }
        const started = performance.now();
        const answer = await llm.ask(question, askOptions);
        if (options.json)
          printJson(io, { question, answer, elapsedMs: Math.round(performance.now() - started) });
        else io.stdout(`${answer}\n`);
      },
    );

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
