import { registerSecret } from "@fabricatio/logger";
import type { Agent } from "undici";
import { IncompleteResponseError } from "../errors/request-errors.js";
import { ProviderCreateError } from "../errors/router-errors.js";
import { type ApiError, ParseError } from "../errors/transport-errors.js";
import type { CallOptions, StreamingResponse } from "../types.js";
import { normalizeBaseUrl, resolveUnder } from "./base-url.js";
import { getHttpAgent, httpPoolGeneration } from "./http-pool.js";
import {
  type HttpAnswer,
  type HttpRequest,
  type HttpTarget,
  sendHttp,
  toTarget,
} from "./http-request.js";
import { KeyPool, type KeyState, keyHint } from "./key-pool.js";

/** Transport options of an `HttpProvider` subclass (its `provider` is the subclass name). */
export interface HttpClientOptions {
  /** Provider name, for messages. */
  provider: string;
  /** One key, or several rotated round-robin. */
  apiKey: string | readonly string[];
  baseUrl: string;
  /** The headers of one key: authorisation plus whatever the API requires. */
  headersFor: (apiKey: string) => Record<string, string>;
  /** Cooldown of a rejected key in ms (pools of 2+ keys only). */
  keyCooldownMs?: number;
  /** Clock of the key pool, epoch ms. @default Date.now */
  now?: () => number;
  /** Which errors mean a key was refused. @default status 401 or 429 */
  isKeyRejection?: (error: ApiError) => boolean;
  /**
   * Longest wait for an answer's headers, and for a JSON answer the longest silence inside its
   * body, in ms; 0 turns it off. A call's `timeoutMs` adds a limit on the whole exchange.
   * @default DEFAULT_REQUEST_TIMEOUT_MS (600000, the official SDKs' ten minutes)
   */
  requestTimeoutMs?: number;
  /**
   * Longest silence between two chunks of a streamed answer, in ms; 0 turns it off.
   * @default DEFAULT_STREAM_IDLE_TIMEOUT_MS (60000)
   */
  streamIdleTimeoutMs?: number;
}

/** Default of `requestTimeoutMs`: ten minutes, as the official OpenAI and Anthropic SDKs. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 600_000;

/** Default of `streamIdleTimeoutMs`: one minute without a byte ends a stream. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;

// An HTTP header value may hold tabs, visible ASCII and obs-text; a line break in a key would
// otherwise surface on every request as a retryable network error.
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
// Whether JSON.parse failed because the text stopped, not because it is wrong: V8 says "end of
// JSON input", or names the position just past the last character.
function endsMidDocument(text: string, error: unknown): boolean {
  const message = (error as Error)?.message ?? "";
  if (message.includes("end of JSON input")) return true;
  const position = /at position (\d+)/.exec(message);
  return position !== null && Number(position[1]) >= text.trimEnd().length;
}
// Headers whose values are credentials, registered with the logger's secret registry.
const CREDENTIAL_HEADER = /authorization|api[-_]?key|token|secret|cookie|signature|credential/i;

function checkHeaders(provider: string, keyIndex: number, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (INVALID_HEADER_VALUE.test(value)) {
      throw new ProviderCreateError(
        `The ${name} header of provider "${provider}" (key #${keyIndex}) holds a line break or another character HTTP headers cannot carry; check the key for stray whitespace`,
      );
    }
    if (CREDENTIAL_HEADER.test(name)) registerSecret(value);
  }
}

/**
 * The keys of `apiKey`, checked at run time too: `openai(process.env.OPENAI_API_KEY!)` passes
 * `undefined` when the variable is unset, and that must be this error, not a TypeError.
 */
function apiKeysOf(provider: string, apiKey: unknown): string[] {
  const keys: unknown[] =
    typeof apiKey === "string" ? [apiKey] : Array.isArray(apiKey) ? [...apiKey] : [];
  const isKey = (key: unknown): key is string => typeof key === "string" && key.length > 0;
  if (keys.length === 0 || !keys.every(isKey)) {
    throw new ProviderCreateError(`API key not provided! (provider "${provider}")`);
  }
  return keys;
}

/**
 * The HTTP side shared by every provider: pooled agents per endpoint and key, per-path targets,
 * JSON and SSE bodies, and the key pool. A single key takes the same path as before pools
 * existed; only 2+ keys pay for rotation and the failure hook.
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly #provider: string;
  readonly #keys: readonly string[];
  readonly #headers: Record<string, string>[];
  readonly #authHeaders: Record<string, string>;
  readonly #pool: KeyPool | undefined;
  readonly #requestTimeoutMs: number;
  readonly #streamIdleTimeoutMs: number;
  readonly #targets = new Map<string, HttpTarget>();
  // The pooled agent of each key for this client's origin, so a request does no pool-key work.
  #agents: (Agent | undefined)[] = [];
  #agentsGeneration = -1;
  #origin = "";

  /**
   * Registers every key with @fabricatio/logger's secret registry, so no log line or error
   * shows it.
   * @throws {ProviderCreateError} when no key is given, a key holds a character HTTP headers
   * cannot carry (a line break), or the URL is invalid
   */
  constructor(options: HttpClientOptions) {
    const keys = apiKeysOf(options.provider, options.apiKey);
    for (const key of keys) registerSecret(key);
    if (!options.baseUrl) throw new ProviderCreateError("Endpoint not provided!");
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.#provider = options.provider;
    this.#keys = keys;
    this.#authHeaders = options.headersFor(keys[0]!);
    // Header sets are built once per key: they sit on every request's hot path.
    this.#headers = keys.map((key, index) => {
      const headers = options.headersFor(key);
      checkHeaders(options.provider, index, headers);
      return { ...headers, accept: "application/json", "content-type": "application/json" };
    });
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#streamIdleTimeoutMs = options.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
    this.#pool =
      keys.length > 1
        ? new KeyPool({
            provider: options.provider,
            keys,
            cooldownMs: options.keyCooldownMs,
            now: options.now,
            isRejection: options.isKeyRejection,
          })
        : undefined;
  }

  /** The headers of the first key (authorisation included). Never log them. */
  authHeaders(): Record<string, string> {
    return { ...this.#authHeaders };
  }

  /** State of each key, without the keys; one entry for a single key. */
  keyStates(): KeyState[] {
    return (
      this.#pool?.states() ?? [
        {
          index: 0,
          hint: keyHint(this.#keys[0]!),
          coolingUntilMs: undefined,
          rejections: 0,
          lastStatus: undefined,
        },
      ]
    );
  }

  #target(path: string): HttpTarget {
    let target = this.#targets.get(path);
    if (!target) {
      target = toTarget(resolveUnder(this.baseUrl, path));
      this.#targets.set(path, target);
    }
    return target;
  }

  #agent(target: HttpTarget, index: number): Agent {
    if (this.#agentsGeneration !== httpPoolGeneration() || target.origin !== this.#origin) {
      this.#agents = [];
      this.#agentsGeneration = httpPoolGeneration();
      this.#origin = target.origin;
    }
    let agent = this.#agents[index];
    if (!agent) {
      agent = getHttpAgent(target.origin, this.#keys[index]!);
      this.#agents[index] = agent;
    }
    return agent;
  }

  #request(
    method: HttpRequest["method"],
    path: string,
    body: unknown,
    options: CallOptions | undefined,
    stream: boolean,
  ): Promise<HttpAnswer> {
    const target = this.#target(path);
    const pool = this.#pool;
    const index = pool ? pool.next() : 0;
    const sent = sendHttp({
      agent: this.#agent(target, index),
      target,
      method,
      headers: this.#headers[index]!,
      body,
      options,
      // A call's own limits (a router passes its deployment's or its own) replace the provider's.
      headersTimeoutMs: options?.requestTimeoutMs ?? this.#requestTimeoutMs,
      streamIdleTimeoutMs: options?.streamIdleTimeoutMs ?? this.#streamIdleTimeoutMs,
      stream,
    });
    if (!pool) return sent;
    return sent.catch((error: unknown) => {
      throw pool.fail(index, error, target.display);
    });
  }

  async #json<T>(
    method: HttpRequest["method"],
    path: string,
    body: unknown,
    options?: CallOptions,
  ): Promise<T> {
    const answer = await this.#request(method, path, body, options, false);
    let text: string;
    try {
      text = await answer.body.text();
    } catch (error) {
      throw answer.mapError(error);
    } finally {
      answer.done();
    }
    const where = path.replace(/\?.*$/, "");
    // An empty body or one cut mid-document is an answer that did not arrive whole, as a stream
    // cut before its end marker: transient, unlike a body that is not JSON at all.
    if (text.trim() === "") {
      throw new IncompleteResponseError(
        `provider "${this.#provider}"`,
        `${where} answered an empty body`,
      );
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      if (endsMidDocument(text, error)) {
        throw new IncompleteResponseError(
          `provider "${this.#provider}"`,
          `the JSON answer of ${where} ends mid-document`,
          error,
        );
      }
      throw new ParseError(`the JSON answer of ${where} from provider "${this.#provider}"`, error);
    }
  }

  /** @see Provider.postJson */
  postJson<T>(path: string, body: unknown, options?: CallOptions): Promise<T> {
    return this.#json<T>("POST", path, body, options);
  }

  /** @see Provider.getJson */
  getJson<T>(path: string, options?: CallOptions): Promise<T> {
    return this.#json<T>("GET", path, undefined, options);
  }

  /** @see Provider.postStream */
  async postStream(path: string, body: unknown, options?: CallOptions): Promise<StreamingResponse> {
    const answer = await this.#request("POST", path, body, options, true);
    async function* chunks(): AsyncIterable<Uint8Array> {
      try {
        for await (const chunk of answer.body) yield chunk;
      } catch (error) {
        throw answer.mapError(error);
      } finally {
        answer.done();
        if (!answer.body.destroyed) answer.body.destroy();
      }
    }
    return { headers: answer.headers, body: chunks() };
  }
}
