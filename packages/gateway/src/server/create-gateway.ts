import type { AddressInfo } from "node:net";
import type { Config } from "@fabricatio/config";
import { getLogger } from "@fabricatio/logger";
import type { RateLimitStore } from "@fabricatio/thryd";
import { chatCompletions } from "../endpoints/chat-completions.js";
import { embeddings } from "../endpoints/embeddings.js";
import { answerError } from "../endpoints/request-helpers.js";
import { rerank } from "../endpoints/rerank.js";
import { health, listModels, metrics, ready } from "../endpoints/service-endpoints.js";
import { GatewayStartError } from "../errors/lifecycle-errors.js";
import { KeyRing } from "../keys/key-ring.js";
import { MemorySpendLedger } from "../keys/memory-spend-ledger.js";
import { RedisSpendLedger } from "../keys/redis-spend-ledger.js";
import type { SpendLedger } from "../keys/spend-ledger.js";
import { createRoutersFromConfig } from "../routers/create-routers-from-config.js";
import type { GatewayContext, GatewayRouters } from "./gateway-context.js";
import { GatewayCounters } from "./gateway-counters.js";
import { RequestScopes } from "./request-scope.js";

/** Options of {@link createGateway}. */
export interface CreateGatewayOptions {
  /** The configuration: `[gateway]` for the server, `[routing]` for the routers. */
  config: Config;
  /**
   * The routers to serve; the gateway then does not close them. @default built from
   * `config.routing` with `createRoutersFromConfig`, closed by `close()`
   */
  routers?: GatewayRouters;
  /**
   * Where the keys' RPM lives. @default the routers' Redis store with `rate_limit_store =
   * "redis"` (shared by every gateway on that Redis), else memory
   */
  keyLimitStore?: RateLimitStore;
  /** Environment (provider keys from `OPENAI_API_KEY`…, the cache directory). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Clock in epoch ms. @default Date.now */
  now?: () => number;
}

/** Where to listen. */
export interface ListenOptions {
  /** @default `gateway.port` (4000) */
  port?: number;
  /** Ignored for a loopback address while no key is configured. @default `gateway.host` */
  host?: string;
}

/** A gateway bound to its address. */
export interface ListeningAddress {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  host: string;
  port: number;
  /** Lines to show at start: where it listens and, with no key configured, that it is loopback only. */
  notices: string[];
}

/** Options of {@link Gateway.close}. */
export interface CloseOptions {
  /** How long in-flight requests and streams may finish, in ms. @default `gateway.shutdown_timeout_s` (30 s) */
  timeoutMs?: number;
}

/** An OpenAI-compatible HTTP server in front of the routers. */
export interface Gateway {
  /**
   * Starts listening. Without any key in `[gateway] keys` the gateway binds to 127.0.0.1
   * whatever `host` says (and says so in `notices`).
   * @throws {GatewayStartError} when the address cannot be bound or a shared store is unreachable
   */
  listen(options?: ListenOptions): Promise<ListeningAddress>;
  /** Requests and streams in progress. */
  readonly inFlight: number;
  /**
   * Graceful shutdown: stops accepting (new requests on open connections get 503), lets
   * in-flight requests and streams finish for up to `timeoutMs`, then aborts the rest (their
   * upstream calls are cancelled) and closes every connection, then the routers it built.
   */
  close(options?: CloseOptions): Promise<void>;
}

// How long aborted requests get to write their last frame before connections are cut.
const ABORT_GRACE_MS = 2_000;

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Whether `host` is a loopback address. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * Builds the gateway: `POST /v1/chat/completions` (JSON and SSE), `POST /v1/embeddings`,
 * `POST /v1/rerank`, `GET /v1/models`, `GET /metrics`, `GET /health`, `GET /health/ready`, on
 * Fastify, with the keys, limits, timeouts and body limit of `[gateway]`.
 * @throws {ProviderCreateError} | {InvalidIdentifierError} | {UnknownProviderError} for a routing
 * section the router cannot build
 */
export async function createGateway(options: CreateGatewayOptions): Promise<Gateway> {
  // Loaded here, not at import: the umbrella imports this package for createRoutersFromConfig.
  const { default: Fastify } = await import("fastify");
  const { config } = options;
  const settings = config.gateway;
  const now = options.now ?? Date.now;
  const built = options.routers ? undefined : createRoutersFromConfig({ config, env: options.env });
  const routers: GatewayRouters = options.routers ?? built!;
  const routing = config.routing;
  const sharedStore = routing.rate_limit_store === "redis";
  const ledger: SpendLedger =
    sharedStore && routing.redis_url
      ? new RedisSpendLedger({
          url: routing.redis_url,
          prefix: `${routing.rate_limit_key_prefix ?? "thryd:rl:"}gateway:spend:`,
        })
      : new MemorySpendLedger(KeyRing.budgetsOf(settings.keys));
  const keys = new KeyRing({
    keys: settings.keys,
    store: options.keyLimitStore ?? built?.limitStore,
    ledger,
  });
  const logger = getLogger("gateway:server");
  let shuttingDown = false;
  const context: GatewayContext = {
    routers,
    keys,
    now,
    maxWaitMs: settings.max_wait_s * 1000,
    requestTimeoutMs: settings.request_timeout_s * 1000,
    embeddingDimensions: config.embedding.ndim,
    maxBatchEmbSize: config.embedding.max_batch_emb_size,
    logPrompts: settings.log_prompts,
    accessLogger: settings.access_log ? getLogger("gateway:access") : undefined,
    logger,
    scopes: new RequestScopes(),
    counters: new GatewayCounters(),
    isShuttingDown: () => shuttingDown,
  };

  const app = Fastify({
    bodyLimit: settings.body_limit_bytes,
    // Fastify turns Node's limit on receiving a request off; a client trickling its body in
    // (slowloris) must not hold a connection longer than a whole request may take.
    requestTimeout: settings.request_timeout_s * 1000,
    logger: false,
    return503OnClosing: true,
    // Shutdown closes connections itself once the requests on them are done.
    forceCloseConnections: false,
  });
  app.setErrorHandler((error, request, reply) =>
    answerError(context, reply, error, {
      method: request.method,
      route: request.url.replace(/\?.*$/, ""),
      startedAtMs: now(),
    }),
  );
  app.setNotFoundHandler((request, reply) => {
    const record = {
      method: request.method,
      route: "(unknown)",
      startedAtMs: now(),
    };
    return answerError(
      context,
      reply,
      Object.assign(new Error(`Unknown route ${request.method} ${request.url}`), {
        statusCode: 404,
        code: "NOT_FOUND",
      }),
      record,
    );
  });
  app.post("/v1/chat/completions", (request, reply) => chatCompletions(context, request, reply));
  app.post("/v1/embeddings", (request, reply) => embeddings(context, request, reply));
  app.post("/v1/rerank", (request, reply) => rerank(context, request, reply));
  app.get("/v1/models", (request, reply) => listModels(context, request, reply));
  app.get("/metrics", (request, reply) => metrics(context, request, reply));
  app.get("/health", (request, reply) => health(context, request, reply));
  app.get("/health/ready", (request, reply) => ready(context, request, reply));

  let closing: Promise<void> | undefined;
  return {
    get inFlight() {
      return context.scopes.size;
    },
    async listen(listenOptions: ListenOptions = {}): Promise<ListeningAddress> {
      const wanted = listenOptions.host ?? settings.host;
      const notices: string[] = [];
      let host = wanted;
      if (!keys.isRequired && !isLoopback(wanted)) {
        host = "127.0.0.1";
        notices.push(
          `No [gateway] keys are configured, so the gateway listens on loopback (127.0.0.1) only, not on ${wanted}; add [[gateway.keys]] to serve other hosts`,
        );
      } else if (!keys.isRequired) {
        notices.push("No [gateway] keys are configured: loopback only, no authentication");
      }
      try {
        // A wrong Redis URL should stop the start, not fail the first request.
        await built?.limitStore?.connect();
        if (ledger instanceof RedisSpendLedger) await ledger.connect();
        await app.listen({ port: listenOptions.port ?? settings.port, host });
      } catch (error) {
        throw new GatewayStartError(
          `The gateway could not start on ${host}: ${(error as Error)?.message ?? error}`,
          error,
        );
      }
      const address = app.server.address() as AddressInfo;
      const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
      const url = `http://${shown}:${address.port}`;
      notices.unshift(`fabricatio gateway listening on ${url}`);
      for (const notice of notices) logger.info(notice);
      return { url, host: address.address, port: address.port, notices };
    },
    close(closeOptions: CloseOptions = {}): Promise<void> {
      closing ??= (async () => {
        shuttingDown = true;
        const timeoutMs = closeOptions.timeoutMs ?? settings.shutdown_timeout_s * 1000;
        // Stops listening and answers 503 to new requests on open connections.
        const closed = app.close();
        app.server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<"deadline">((resolve) => {
          timer = setTimeout(() => resolve("deadline"), timeoutMs);
        });
        const outcome = await Promise.race([context.scopes.idle(), deadline]);
        clearTimeout(timer);
        if (outcome === "deadline") {
          logger.warn(
            `Shutdown deadline of ${timeoutMs} ms passed with ${context.scopes.size} requests in flight: aborting them`,
          );
          context.scopes.abortAll();
          // Aborted requests end within a tick or two; the bound only guards against a stuck one.
          await Promise.race([context.scopes.idle(), delay(ABORT_GRACE_MS)]);
        }
        app.server.closeAllConnections();
        await closed;
        await ledger.close();
        await built?.close();
      })();
      return closing;
    },
  };
}
