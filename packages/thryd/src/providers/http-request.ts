import type { Agent, Dispatcher } from "undici";
import {
  AbortedError,
  ApiError,
  NetworkError,
  StreamIdleTimeoutError,
  TimeoutError,
} from "../errors/transport-errors.js";
import { clampTimerMs } from "../timers.js";
import type { CallOptions } from "../types.js";
import { SentSignalDispatcher } from "./sent-signal-dispatcher.js";

/** One HTTP exchange to send through a pooled agent. */
export interface HttpRequest {
  agent: Agent;
  /** Where to send it; see {@link toTarget}. */
  target: HttpTarget;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: unknown;
  options?: CallOptions;
  /**
   * Longest wait for the response headers, in ms (undici's `headersTimeout`); 0: none. Also the
   * longest silence between chunks of a JSON body. @default undici's 300000
   */
  headersTimeoutMs?: number;
  /** Longest silence between two chunks of a streamed body, in ms (undici's `bodyTimeout`); 0: none. */
  streamIdleTimeoutMs?: number;
  /** Whether the body will be read as a stream: a silent body is then a `StreamIdleTimeoutError`. */
  stream?: boolean;
}

/** A resolved URL split the way undici wants it, computed once per endpoint path. */
export interface HttpTarget {
  origin: string;
  /** Path and query. */
  path: string;
  /** The URL without its query string, where some providers put keys: safe for messages. */
  display: string;
}

/** Splits a URL into an {@link HttpTarget}. */
export function toTarget(url: URL): HttpTarget {
  return {
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    display: `${url.origin}${url.pathname}`,
  };
}

/** An answer with a 2xx status whose body has not been read yet. */
export interface HttpAnswer {
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData["body"];
  /** Stops the timeout timer and signal listener; call once the body is consumed. */
  done(): void;
  /** Maps an error raised while reading the body to a thryd error. */
  mapError(error: unknown): Error;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfterMs(
  value: string | string[] | undefined,
  nowMs: number,
): number | undefined {
  const text = firstValue(value)?.trim();
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * The wait a response asks for, in ms: `retry-after-ms` (OpenAI's and Anthropic's precise
 * header, read first as their SDKs do), else `Retry-After` (seconds or an HTTP date).
 */
export function retryAfterFromHeaders(
  headers: Record<string, string | string[] | undefined>,
  nowMs: number,
): number | undefined {
  const precise = Number(firstValue(headers["retry-after-ms"])?.trim() || Number.NaN);
  if (Number.isFinite(precise) && precise >= 0) return precise;
  return parseRetryAfterMs(headers["retry-after"], nowMs);
}

/** `x-should-retry: true|false`, the server's own verdict the official SDKs obey. */
function shouldRetryHeader(value: string | string[] | undefined): boolean | undefined {
  const text = firstValue(value)?.trim().toLowerCase();
  return text === "true" ? true : text === "false" ? false : undefined;
}

/**
 * Reads Google's `RetryInfo.retryDelay` (`"34.4s"`) from an error body: Gemini sends its wait
 * there instead of a `Retry-After` header.
 */
export function parseRetryInfoMs(body: string): number | undefined {
  if (!body.includes("google.rpc.RetryInfo")) return undefined;
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(body);
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** The time limit of one exchange, when it has one: armed before the request is sent. */
class Deadline {
  readonly controller = new AbortController();
  timedOut = false;
  readonly #timer: NodeJS.Timeout;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort: () => void;

  constructor(timeoutMs: number, signal: AbortSignal | undefined) {
    this.#signal = signal;
    this.#onAbort = () => this.controller.abort(signal?.reason);
    signal?.addEventListener("abort", this.#onAbort, { once: true });
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error("timeout"));
    }, clampTimerMs(timeoutMs));
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener("abort", this.#onAbort);
  }
}

// A class rather than an object of closures: without a timeout, the common case, an exchange
// allocates this one object and nothing else of ours.
class Exchange implements HttpAnswer {
  headers: HttpAnswer["headers"] = {};
  body!: HttpAnswer["body"];
  readonly #request: HttpRequest;
  readonly #deadline: Deadline | undefined;

  constructor(request: HttpRequest, deadline: Deadline | undefined) {
    this.#request = request;
    this.#deadline = deadline;
  }

  done(): void {
    this.#deadline?.clear();
  }

  mapError(error: unknown): Error {
    const where = this.#request.target.display;
    const signal = this.#request.options?.signal;
    if (this.#deadline?.timedOut) {
      return new TimeoutError(where, this.#request.options?.timeoutMs ?? 0);
    }
    if (signal?.aborted) return new AbortedError(`Request to ${where}`, error);
    const code = (error as { code?: unknown })?.code;
    if (code === "UND_ERR_HEADERS_TIMEOUT") {
      return new TimeoutError(where, this.#request.headersTimeoutMs ?? 0);
    }
    if (code === "UND_ERR_BODY_TIMEOUT") {
      return this.#request.stream
        ? new StreamIdleTimeoutError(where, this.#request.streamIdleTimeoutMs ?? 0)
        : new TimeoutError(where, this.#request.headersTimeoutMs ?? 0);
    }
    return error instanceof ApiError ? error : new NetworkError(where, error);
  }
}

/**
 * Sends one request and resolves once a 2xx status and headers have arrived.
 * @throws {ApiError} on any other status (body read and truncated)
 * @throws {TimeoutError} when `timeoutMs` or `headersTimeoutMs` elapses, {AbortedError} when the
 * signal fires, {NetworkError} on a connection failure; reading the body of a stream throws
 * {StreamIdleTimeoutError} after `streamIdleTimeoutMs` of silence. `options.onSent` is called
 * once the request is handed to a connected socket.
 */
export async function sendHttp(request: HttpRequest): Promise<HttpAnswer> {
  const { signal, timeoutMs, onSent } = request.options ?? {};
  if (signal?.aborted) {
    throw new AbortedError(`Request to ${request.target.display}`, signal.reason);
  }
  // An AbortController is built only when a timeout needs one: it costs on every request.
  const deadline =
    timeoutMs !== undefined && timeoutMs > 0 ? new Deadline(timeoutMs, signal) : undefined;
  const exchange = new Exchange(request, deadline);
  const bodyTimeoutMs = request.stream ? request.streamIdleTimeoutMs : request.headersTimeoutMs;
  try {
    const dispatcher = onSent ? new SentSignalDispatcher(request.agent, onSent) : request.agent;
    const response = await dispatcher.request({
      origin: request.target.origin,
      path: request.target.path,
      method: request.method,
      headers: request.headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: deadline?.controller.signal ?? signal,
      // undici's own timers: no AbortController or timer of ours on the hot path. Its limits
      // must be whole milliseconds, and a huge one must not overflow.
      ...(request.headersTimeoutMs === undefined
        ? {}
        : { headersTimeout: Math.ceil(clampTimerMs(request.headersTimeoutMs)) }),
      ...(bodyTimeoutMs === undefined
        ? {}
        : { bodyTimeout: Math.ceil(clampTimerMs(bodyTimeoutMs)) }),
    });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const text = await response.body.text();
      throw new ApiError({
        status: response.statusCode,
        body: text,
        url: request.target.display,
        retryAfterMs: retryAfterFromHeaders(response.headers, Date.now()) ?? parseRetryInfoMs(text),
        isRetryable: shouldRetryHeader(response.headers["x-should-retry"]),
      });
    }
    exchange.headers = response.headers;
    exchange.body = response.body;
    return exchange;
  } catch (error) {
    exchange.done();
    throw exchange.mapError(error);
  }
}
