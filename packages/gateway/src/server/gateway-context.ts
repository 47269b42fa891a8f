import type { Logger } from "@fabricatio/logger";
import type { Router } from "@fabricatio/thryd";
import type { KeyRing } from "../keys/key-ring.js";
import type { GatewayCounters } from "./gateway-counters.js";
import type { RequestScopes } from "./request-scope.js";

/** The routers a gateway serves, one per model kind. */
export interface GatewayRouters {
  readonly completion: Router<"completion">;
  readonly embedding: Router<"embedding">;
  readonly rerank: Router<"rerank">;
}

/** What every endpoint handler reads: the routers, the keys and the settings of `[gateway]`. */
export interface GatewayContext {
  readonly routers: GatewayRouters;
  readonly keys: KeyRing;
  readonly now: () => number;
  /** Longest wait for rate-limit room (key and deployments) before a 429, in ms. */
  readonly maxWaitMs: number;
  /** Time limit of one request, a stream included, in ms. */
  readonly requestTimeoutMs: number;
  /** Default `dimensions` of embedding requests (`[embedding] ndim`). */
  readonly embeddingDimensions: number | undefined;
  /** `[embedding] max_batch_emb_size`. */
  readonly maxBatchEmbSize: number | undefined;
  /** Put prompts in the access log lines. */
  readonly logPrompts: boolean;
  /** The access logger, or `undefined` when access logs are off. */
  readonly accessLogger: Logger | undefined;
  readonly logger: Logger;
  readonly scopes: RequestScopes;
  readonly counters: GatewayCounters;
  /** Whether shutdown has begun (readiness turns false). */
  readonly isShuttingDown: () => boolean;
}
