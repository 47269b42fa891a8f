import { ParseError } from "../errors/transport-errors.js";
import { countTokensBatch } from "../tokens/count-tokens.js";
import type {
  CallOptions,
  EmbeddingModel,
  EmbeddingRequest,
  EmbeddingResponse,
  Provider,
} from "../types.js";
import { addUsage, emptyUsage, readUsage, usageOf } from "./usage.js";

/** Path of the embeddings endpoint under a provider's base URL. */
export const EMBEDDINGS_PATH = "embeddings";

/** Splits texts into chunks of at most `limit`; no limit (unset or 0) gives one chunk. */
export function splitEmbeddingChunks<T>(texts: readonly T[], limit: number | undefined): T[][] {
  if (!limit || limit <= 0 || texts.length <= limit) return [[...texts]];
  const chunks: T[][] = [];
  for (let start = 0; start < texts.length; start += limit) {
    chunks.push(texts.slice(start, start + limit));
  }
  return chunks;
}

/** Concatenates chunk responses in order and sums their usage. */
export function mergeEmbeddingResponses(
  responses: readonly EmbeddingResponse[],
): EmbeddingResponse {
  return {
    embeddings: responses.flatMap((response) => response.embeddings),
    usage: responses.reduce((sum, response) => addUsage(sum, response.usage), emptyUsage()),
  };
}

interface EmbeddingAnswer {
  data?: { index?: number; embedding?: number[] }[];
  usage?: unknown;
}

/** An embedding model of an OpenAI-compatible provider. */
export class OpenAIEmbeddingModel implements EmbeddingModel {
  readonly kind = "embedding";
  readonly name: string;
  readonly provider: Provider;

  constructor(name: string, provider: Provider) {
    this.name = name;
    this.provider = provider;
  }

  async #embedChunk(
    texts: string[],
    ndim: number,
    options?: CallOptions,
  ): Promise<EmbeddingResponse> {
    const answer = await this.provider.postJson<EmbeddingAnswer>(
      EMBEDDINGS_PATH,
      { model: this.name, input: texts, dimensions: ndim },
      options,
    );
    const data = answer?.data;
    if (!Array.isArray(data) || data.length !== texts.length) {
      throw new ParseError(
        `the embeddings of model "${this.name}": expected ${texts.length}, got ${Array.isArray(data) ? data.length : "none"}`,
      );
    }
    // Providers may answer out of order; `index` says where each vector belongs.
    const ordered = [...data].sort((left, right) => (left.index ?? 0) - (right.index ?? 0));
    const embeddings = ordered.map((item, index) => {
      if (!Array.isArray(item.embedding)) {
        throw new ParseError(`embedding ${index} of model "${this.name}"`);
      }
      return item.embedding;
    });
    const prompt = countTokensBatch(texts).reduce((sum, count) => sum + count, 0);
    return { embeddings, usage: readUsage(answer.usage) ?? usageOf(prompt, 0) };
  }

  async invoke(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse> {
    const chunks = splitEmbeddingChunks(request.texts, request.maxBatchEmbSize);
    const responses = await Promise.all(
      chunks.map((texts) => this.#embedChunk(texts, request.ndim, options)),
    );
    return mergeEmbeddingResponses(responses);
  }
}
