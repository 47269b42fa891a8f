import type { Agent, Dispatcher } from "undici";
import { AbortedError, ApiError, NetworkError, TimeoutError } from "../errors/transport-errors.js";
import type { CallOptions } from "../types.js";

/** One HTTP exchange to send through a pooled agent. */
export interface HttpRequest {
  agent: Agent;
  /** Where to send it; see {@link toTarget}. */
  target: HttpTarget;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: unknown;
  options?: CallOptions;
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
  done: () => void;
  /** Maps an error raised while reading the body to a thryd error. */
  mapError: (error: unknown) => Error;
}

const noop = () => {};

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfterMs(
  value: string | string[] | undefined,
  nowMs: number,
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
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

/**
 * Sends one request and resolves once a 2xx status and headers have arrived.
 * @throws {ApiError} on any other status (body read and truncated)
 * @throws {TimeoutError} when `timeoutMs` elapses, {AbortedError} when the signal fires,
 * {NetworkError} on a connection failure
 */
export async function sendHttp(request: HttpRequest): Promise<HttpAnswer> {
  const { signal, timeoutMs } = request.options ?? {};
  if (signal?.aborted) {
    throw new AbortedError(`Request to ${request.target.display}`, signal.reason);
  }
  // An AbortController is built only when a timeout needs one: it costs on every request.
  const hasTimeout = timeoutMs !== undefined && timeoutMs > 0;
  let done = noop;
  let timedOut = false;
  let controller: AbortController | undefined;
  if (hasTimeout) {
    const timeoutController = new AbortController();
    controller = timeoutController;
    const onAbort = () => timeoutController.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      timeoutController.abort(new Error("timeout"));
    }, timeoutMs);
    done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
  }
  const mapError = (error: unknown): Error => {
    const where = request.target.display;
    if (timedOut) return new TimeoutError(where, timeoutMs ?? 0);
    if (signal?.aborted) return new AbortedError(`Request to ${where}`, error);
    return error instanceof ApiError ? error : new NetworkError(where, error);
  };
  try {
    const response = await request.agent.request({
      origin: request.target.origin,
      path: request.target.path,
      method: request.method,
      headers: request.headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: controller?.signal ?? signal,
    });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const text = await response.body.text();
      throw new ApiError({
        status: response.statusCode,
        body: text,
        url: request.target.display,
        retryAfterMs:
          parseRetryAfterMs(response.headers["retry-after"], Date.now()) ?? parseRetryInfoMs(text),
      });
    }
    return {
      headers: response.headers,
      body: response.body,
      done,
      mapError,
    };
  } catch (error) {
    done();
    throw mapError(error);
  }
}
