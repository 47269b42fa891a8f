import { ParseError } from "../errors/transport-errors.js";
import type {
  CallOptions,
  Provider,
  Ranking,
  RerankModel,
  RerankRequest,
  RerankResponse,
} from "../types.js";
import { readUsage } from "./usage.js";

interface RerankResult {
  index?: number;
  relevance_score?: number;
}

interface RerankAnswer {
  /** Cohere, Jina, vLLM, TEI-style gateways. */
  results?: RerankResult[];
  /** Voyage AI: `{ object: "list", data: [{ index, relevance_score }] }`. */
  data?: RerankResult[];
  usage?: unknown;
}

/**
 * A rerank model of an OpenAI-compatible provider: Cohere/Jina/vLLM-style answers (`results[]`)
 * and Voyage-style answers (`data[]`), each item `{ index, relevance_score }`.
 */
export class OpenAIRerankModel implements RerankModel {
  readonly kind = "rerank";
  readonly name: string;
  readonly provider: Provider;
  readonly #path: string;

  constructor(name: string, provider: Provider, path: string) {
    this.name = name;
    this.provider = provider;
    this.#path = path;
  }

  async invoke(request: RerankRequest, options?: CallOptions): Promise<RerankResponse> {
    const answer = await this.provider.postJson<RerankAnswer>(
      this.#path,
      { model: this.name, query: request.query, documents: request.documents },
      options,
    );
    const results = Array.isArray(answer?.results)
      ? answer.results
      : Array.isArray(answer?.data)
        ? answer.data
        : undefined;
    if (!results) {
      throw new ParseError(`the rerank answer of model "${this.name}": no results[] or data[]`);
    }
    const rankings: Ranking[] = results.map((result, position) => {
      if (typeof result.index !== "number" || typeof result.relevance_score !== "number") {
        throw new ParseError(`rerank result ${position} of model "${this.name}"`);
      }
      return [result.index, result.relevance_score];
    });
    rankings.sort((left, right) => right[1] - left[1]);
    const usage = readUsage(answer.usage) ?? {
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
    };
    return { rankings, usage };
  }
}
