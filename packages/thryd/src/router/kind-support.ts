import { getLogger } from "@fabricatio/logger";
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
import { cachedCompletionProblem, rerankProblem, vectorProblem } from "./response-shapes.js";

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

// A stored value of the wrong shape (another version's format, a hand-edited or corrupt store)
// must never be served as an answer: it is a miss, and the fresh answer overwrites it.
function validEntry<T>(
  key: string,
  value: unknown,
  problemOf: (value: unknown) => string | undefined,
): T | undefined {
  if (value === undefined) return undefined;
  const problem = problemOf(value);
  if (problem === undefined) return value as T;
  getLogger("thryd:cache").warn(
    `Cache entry "${key}" is malformed (${problem}); treated as a miss and overwritten`,
  );
  return undefined;
}

/** What the router needs to know about a kind. */
export interface KindSupport<K extends ModelKind> {
  /** Tokens to reserve before dispatch. */
  estimateTokens(request: RequestOf<K>): number;
  /**
   * Looks the request up (unless `read` is false) and plans the call. A stored value that does
   * not have the kind's shape is a miss (logged at warn), overwritten by the fresh answer.
   */
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
    const hit = read
      ? validEntry<ResponseOf<"completion">>(key, await cache.get(key), cachedCompletionProblem)
      : undefined;
    return { hit, request, finish: (fresh) => fresh, entries: (fresh) => [[key, fresh]] };
  },
};

const rerankSupport: KindSupport<"rerank"> = {
  estimateTokens: (request: RerankRequest) =>
    countTokens(request.query) + sum(countTokensBatch(request.documents)),
  async plan(cache, group, request, read) {
    const key = rerankCacheKey(group, request);
    const hit = read
      ? validEntry<ResponseOf<"rerank">>(key, await cache.get(key), (value) =>
          rerankProblem(value, request.documents.length),
        )
      : undefined;
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
      ? (await cache.getMany(keys)).map((value, index) =>
          validEntry<number[]>(keys[index]!, value, vectorProblem),
        )
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
