import { ParseError } from "../errors/transport-errors.js";
import { countTokensBatch } from "../tokens/count-tokens.js";
import type {
  CallOptions,
  EmbeddingModel,
  EmbeddingRequest,
  EmbeddingResponse,
  Provider,
} from "../types.js";
import { geminiModelPath } from "./gemini-wire.js";
import { mergeEmbeddingResponses, splitEmbeddingChunks } from "./openai-embedding-model.js";
import { usageOf } from "./usage.js";

/** Most texts one `batchEmbedContents` call accepts; larger requests are split. */
export const GEMINI_MAX_BATCH_EMBED = 100;

interface BatchEmbedAnswer {
  embeddings?: { values?: number[] }[];
}

/**
 * A Gemini embedding model over `batchEmbedContents`. The API reports no usage, so prompt
 * tokens are counted locally (o200k_base, an estimate of Google's own count).
 */
export class GeminiEmbeddingModel implements EmbeddingModel {
  readonly kind = "embedding";
  readonly name: string;
  readonly provider: Provider;
  readonly #path: string;
  readonly #modelId: string;

  constructor(name: string, provider: Provider) {
    this.name = name;
    this.provider = provider;
    this.#path = geminiModelPath(name, "batchEmbedContents");
    this.#modelId = `models/${name.replace(/^models\//, "")}`;
  }

  async #embedChunk(
    texts: string[],
    ndim: number,
    options?: CallOptions,
  ): Promise<EmbeddingResponse> {
    const answer = await this.provider.postJson<BatchEmbedAnswer>(
      this.#path,
      {
        requests: texts.map((text) => ({
          model: this.#modelId,
          content: { parts: [{ text }] },
          outputDimensionality: ndim,
        })),
      },
      options,
    );
    const items = answer?.embeddings;
    if (!Array.isArray(items) || items.length !== texts.length) {
      throw new ParseError(
        `the embeddings of model "${this.name}": expected ${texts.length}, got ${Array.isArray(items) ? items.length : "none"}`,
      );
    }
    const embeddings = items.map((item, index) => {
      if (!Array.isArray(item?.values)) {
        throw new ParseError(`embedding ${index} of model "${this.name}"`);
      }
      return item.values;
    });
    const prompt = countTokensBatch(texts).reduce((sum, count) => sum + count, 0);
    return { embeddings, usage: usageOf(prompt, 0) };
  }

  async invoke(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse> {
    const limit = Math.min(
      request.maxBatchEmbSize || GEMINI_MAX_BATCH_EMBED,
      GEMINI_MAX_BATCH_EMBED,
    );
    const chunks = splitEmbeddingChunks(request.texts, limit);
    const responses = await Promise.all(
      chunks.map((texts) => this.#embedChunk(texts, request.ndim, options)),
    );
    return mergeEmbeddingResponses(responses);
  }
}
