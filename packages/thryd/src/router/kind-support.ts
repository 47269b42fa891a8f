import { completionCacheKey, embeddingCacheKey, rerankCacheKey } from "../cache/cache-keys.js";
import type { RouterCache } from "../cache/router-cache.js";
import { estimatePromptTokens } from "../chat/prompt-tokens.js";
import { emptyUsage } from "../models/usage.js";
import { countTokens, countTokensBatch } from "../tokens/count-tokens.js";
import type {
  CompletionRequest,
  EmbeddingRequest,
  ModelKind,
  RequestOf,
  RerankRequest,
  ResponseOf,
} from "../types.js";

/** How one request meets the cache: a full hit, or what to send and how to finish. */
export interface CachePlan<K extends ModelKind> {
  /** The whole answer from the cache. */
  hit?: ResponseOf<K>;
  /** The request to send (for embeddings: only the texts that missed). */
  request: RequestOf<K>;
  /** Merges the fresh answer with the cached parts, in request order. */
  finish(fresh: ResponseOf<K>): ResponseOf<K>;
  /** Cache entries to write for the fresh answer. */
  entries(fresh: ResponseOf<K>): [string, unknown][];
}

/** What the router needs to know about a kind. */
export interface KindSupport<K extends ModelKind> {
  /** Tokens to reserve before dispatch. */
  estimateTokens(request: RequestOf<K>): number;
  /** Looks the request up (unless `read` is false) and plans the call. */
  plan(
    cache: RouterCache,
    group: string,
    request: RequestOf<K>,
    read: boolean,
  ): Promise<CachePlan<K>>;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

const completionSupport: KindSupport<"completion"> = {
  estimateTokens: (request: CompletionRequest) =>
    estimatePromptTokens(request) + (request.max_completion_tokens ?? 0),
  async plan(cache, group, request, read) {
    const key = completionCacheKey(group, request);
    const hit = read ? await cache.get<ResponseOf<"completion">>(key) : undefined;
    return { hit, request, finish: (fresh) => fresh, entries: (fresh) => [[key, fresh]] };
  },
};

const rerankSupport: KindSupport<"rerank"> = {
  estimateTokens: (request: RerankRequest) =>
    countTokens(request.query) + sum(countTokensBatch(request.documents)),
  async plan(cache, group, request, read) {
    const key = rerankCacheKey(group, request);
    const hit = read ? await cache.get<ResponseOf<"rerank">>(key) : undefined;
    return { hit, request, finish: (fresh) => fresh, entries: (fresh) => [[key, fresh]] };
  },
};

// Per-text entries: a batch with mixed hits and misses sends only the distinct missing texts and
// reassembles the vectors in request order.
const embeddingSupport: KindSupport<"embedding"> = {
  estimateTokens: (request: EmbeddingRequest) => sum(countTokensBatch(request.texts)),
  async plan(cache, group, request, read) {
    const keys = request.texts.map((text) => embeddingCacheKey(group, request.ndim, text));
    const cached = read
      ? await cache.getMany<number[]>(keys)
      : keys.map((): number[] | undefined => undefined);
    const missing = [...new Set(request.texts.filter((_, index) => !cached[index]))];
    const position = new Map(missing.map((text, index) => [text, index]));
    const assemble = (fresh: number[][]): number[][] =>
      request.texts.map((text, index) => cached[index] ?? fresh[position.get(text)!]!);
    if (missing.length === 0) {
      return {
        hit: { embeddings: assemble([]), usage: emptyUsage() },
        request,
        finish: (fresh) => fresh,
        entries: () => [],
      };
    }
    return {
      request: { ...request, texts: missing },
      finish: (fresh) => ({ embeddings: assemble(fresh.embeddings), usage: fresh.usage }),
      entries: (fresh) =>
        missing.map((text, index): [string, unknown] => [
          embeddingCacheKey(group, request.ndim, text),
          fresh.embeddings[index],
        ]),
    };
  },
};

const SUPPORT: { [K in ModelKind]: KindSupport<K> } = {
  completion: completionSupport,
  embedding: embeddingSupport,
  rerank: rerankSupport,
};

/** The support functions of a kind. */
export function kindSupport<K extends ModelKind>(kind: K): KindSupport<K> {
  return SUPPORT[kind] as KindSupport<K>;
}
